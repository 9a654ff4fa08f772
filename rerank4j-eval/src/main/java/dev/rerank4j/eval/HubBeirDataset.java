package dev.rerank4j.eval;

import dev.rerank4j.RerankException;
import dev.rerank4j.hub.ResolvedDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A BEIR dataset as the Hub holds it: corpus and queries in one dataset repo (e.g. {@code BeIR/scifact}), the
 * judgements in the repo itself (zeta-alpha-ai's NanoBEIR {@code qrels} config: {@code query-id},
 * {@code corpus-id}; or the {@code relevance} config of sentence-transformers' {@code Nano*-bm25} repos:
 * {@code query-id}, {@code positive-corpus-ids}, {@code bm25-ranked-ids}) or in a second repo
 * ({@code BeIR/scifact-qrels}: {@code <split>.tsv}). Files are those the card's {@code configs} name; a revision
 * whose card declares none is read from {@code corpus.jsonl.gz} and {@code queries.jsonl.gz}, as BeIR's older
 * revisions hold them. Parquet and JSON Lines (plain or gzipped) are read alike, streamed.
 *
 * @param qrelsRepo the repo holding {@code <split>.tsv} judgements, or null when {@code main} holds its own
 */
public record HubBeirDataset(String name, ResolvedDataset main, ResolvedDataset qrelsRepo) implements Dataset {
    private static final List<String> CORPUS_COLUMNS = List.of("_id", "title", "text");
    private static final List<String> QUERY_COLUMNS = List.of("_id", "text");
    private static final List<String> QRELS_COLUMNS = List.of("query-id", "corpus-id", "score");
    private static final String RELEVANCE = "relevance";
    private static final String POSITIVES = "positive-corpus-ids";
    private static final String BM25_RANKING = "bm25-ranked-ids";

    /** Whether {@code d}'s card declares its own judgements, as the NanoBEIR repos do. */
    public static boolean hasOwnQrels(ResolvedDataset d) {
        return d.card().configs().containsKey("qrels") || d.card().configs().containsKey(RELEVANCE);
    }

    @Override
    public String location() {
        return "hf:" + main.repo() + " (commit " + main.commit() + ")"
                + (qrelsRepo == null ? "" : ", qrels hf:" + qrelsRepo.repo() + " (commit " + qrelsRepo.commit() + ")");
    }

    @Override
    public String corpusName() {
        return describe(corpusFiles());
    }

    @Override
    public String queriesName() {
        return describe(queryFiles());
    }

    @Override
    public String qrelsName(String split) {
        return judgedByRelevance() ? describe(configFiles(main, RELEVANCE, List.of())) + " (" + POSITIVES + ")"
                : describe(qrelsFiles(split));
    }

    @Override
    public void forEachDocument(Consumer<Document> action) {
        for (Path file : corpusFiles()) {
            Rows.forEach(file, CORPUS_COLUMNS, row -> {
                String title = row.text("title");
                action.accept(new Document(id(row), title == null ? "" : title, row.required("text")));
            });
        }
    }

    @Override
    public long countDocuments() {
        return corpusFiles().stream().mapToLong(Rows::count).sum();
    }

    @Override
    public Map<String, String> queries() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path file : queryFiles()) {
            Rows.forEach(file, QUERY_COLUMNS, row -> {
                String id = id(row);
                if (out.put(id, row.required("text")) != null) {
                    throw new RerankException(row.where() + ": duplicate query id '" + id + "'");
                }
            });
        }
        return out;
    }

    @Override
    public Qrels qrels(String split) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        if (judgedByRelevance()) {
            for (Path file : configFiles(main, RELEVANCE, List.of())) {
                Rows.forEach(file, List.of("query-id", POSITIVES), row -> {
                    Map<String, Integer> judged = out.computeIfAbsent(row.required("query-id"), q -> new HashMap<>());
                    row.strings(POSITIVES).forEach(doc -> judged.put(doc, 1));
                });
            }
            return new Qrels(out);
        }
        for (Path file : qrelsFiles(split)) {
            if (!Rows.isParquet(file)) {
                BeirDataset.readQrels(file).byQuery().forEach((q, docs) ->
                        out.computeIfAbsent(q, k -> new HashMap<>()).putAll(docs));
                continue;
            }
            Rows.forEach(file, QRELS_COLUMNS, row -> {
                String score = row.text("score");
                int grade;
                try {
                    grade = score == null ? 1 : Integer.parseInt(score);
                } catch (NumberFormatException e) {
                    throw new RerankException(row.where() + ": score '" + score + "' is not an integer");
                }
                out.computeIfAbsent(row.required("query-id"), q -> new HashMap<>()).put(row.required("corpus-id"),
                        grade);
            });
        }
        return new Qrels(out);
    }

    /** sentence-transformers' {@code Nano*-bm25} repos judge through their relevance config's positives. */
    private boolean judgedByRelevance() {
        return qrelsRepo == null && !main.card().configs().containsKey("qrels");
    }

    /**
     * The BM25 ranking a {@code relevance} config ships, best first, as a run whose scores fall with the rank; empty
     * when the repo has none.
     */
    @Override
    public Optional<RunFileStage> shippedRanking() {
        if (!main.card().configs().containsKey(RELEVANCE)) {
            return Optional.empty();
        }
        Map<String, List<Hit>> run = new LinkedHashMap<>();
        for (Path file : configFiles(main, RELEVANCE, List.of())) {
            Rows.forEach(file, List.of("query-id", BM25_RANKING), row -> {
                List<String> ranked = row.strings(BM25_RANKING);
                List<Hit> hits = run.computeIfAbsent(row.required("query-id"), q -> new ArrayList<>());
                for (int i = 0; i < ranked.size(); i++) {
                    hits.add(new Hit(ranked.get(i), ranked.size() - i));
                }
            });
        }
        if (run.values().stream().allMatch(List::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new RunFileStage("bm25(shipped by hf:" + main.repo() + ")", new Run(run)));
    }

    private List<Path> corpusFiles() {
        return configFiles(main, "corpus", List.of("corpus.jsonl.gz", "corpus.jsonl"));
    }

    private List<Path> queryFiles() {
        return configFiles(main, "queries", List.of("queries.jsonl.gz", "queries.jsonl"));
    }

    /** NanoBEIR's qrels config holds its one evaluation split whatever it is called; BeIR's repos name theirs. */
    private List<Path> qrelsFiles(String split) {
        if (qrelsRepo == null) {
            return configFiles(main, "qrels", List.of());
        }
        List<String> files = qrelsRepo.files();
        Optional<List<String>> declared = qrelsRepo.card().configs().keySet().stream()
                .map(c -> qrelsRepo.card().files(c, split, files)).flatMap(Optional::stream).findFirst();
        List<String> chosen = declared.orElseGet(() -> List.of(split + ".tsv", "qrels/" + split + ".tsv").stream()
                .filter(files::contains).limit(1).toList());
        if (chosen.isEmpty()) {
            throw new RerankException("hf:" + qrelsRepo.repo() + " has no judgements for split '" + split
                    + "' (neither its card's configs nor " + split + ".tsv); its files: " + files);
        }
        return chosen.stream().map(qrelsRepo.directory()::resolve).toList();
    }

    private static List<Path> configFiles(ResolvedDataset d, String config, List<String> fallbacks) {
        List<String> files = d.files();
        List<String> chosen = d.card().files(config, files).orElseGet(() ->
                fallbacks.stream().filter(files::contains).limit(1).toList());
        if (chosen.isEmpty()) {
            throw new RerankException("hf:" + d.repo() + " has no " + config + " files (no '" + config
                    + "' config in its card" + (fallbacks.isEmpty() ? "" : ", nor " + String.join(" or ", fallbacks))
                    + "); its files: " + files);
        }
        return chosen.stream().map(d.directory()::resolve).toList();
    }

    private static String id(Rows.Row row) {
        String id = row.text("_id");
        if (id == null || id.isEmpty()) {
            throw new RerankException(row.where() + ": missing or empty '_id'");
        }
        return id;
    }

    private static String describe(List<Path> files) {
        return files.size() == 1 ? files.get(0).toString()
                : files.get(0).getParent() + " (" + files.size() + " files)";
    }
}
