package dev.rerank4j.eval;

import dev.rerank4j.RerankException;
import dev.rerank4j.hub.ResolvedDataset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One task of the LoCo long-document benchmark as the Hub holds it: every task's documents in one repo
 * ({@code hazyresearch/LoCoV1-Documents}: {@code pid}, {@code dataset}, {@code passage}) and every task's queries in
 * another ({@code hazyresearch/LoCoV1-Queries}: {@code qid}, {@code dataset}, {@code query}, {@code answer_pids}),
 * told apart by the {@code dataset} column. A query's answers are its relevant documents, grade 1; LoCo has one
 * split, so every split name reads the same judgements.
 */
public record LocoDataset(String task, ResolvedDataset documents, ResolvedDataset queryRepo) implements Dataset {
    public static final String DOCUMENTS_REPO = "hazyresearch/LoCoV1-Documents";
    public static final String QUERIES_REPO = "hazyresearch/LoCoV1-Queries";
    /** The five original LoCo tasks, the ones the Jina card reports. */
    public static final List<String> TASKS = List.of("summ_screen_fd", "gov_report", "qmsum", "qasper_title",
            "qasper_abstract");
    private static final List<String> DOCUMENT_COLUMNS = List.of("pid", "dataset", "passage");
    private static final List<String> QUERY_COLUMNS = List.of("qid", "dataset", "query", "answer_pids");

    @Override
    public String name() {
        return task;
    }

    @Override
    public String location() {
        return "hf:" + documents.repo() + " (commit " + documents.commit() + ") and hf:" + queryRepo.repo()
                + " (commit " + queryRepo.commit() + "), task " + task;
    }

    @Override
    public String corpusName() {
        return "hf:" + documents.repo() + " task " + task;
    }

    @Override
    public String queriesName() {
        return "hf:" + queryRepo.repo() + " task " + task;
    }

    @Override
    public String qrelsName(String split) {
        return queriesName() + " (answer_pids)";
    }

    @Override
    public void forEachDocument(Consumer<Document> action) {
        for (Path file : files(documents)) {
            Rows.forEach(file, DOCUMENT_COLUMNS, row -> {
                if (task.equals(row.text("dataset"))) {
                    action.accept(new Document(row.required("pid"), "", row.required("passage")));
                }
            });
        }
    }

    @Override
    public long countDocuments() {
        long[] n = {0};
        for (Path file : files(documents)) {
            Rows.forEach(file, List.of("dataset"), row -> n[0] += task.equals(row.text("dataset")) ? 1 : 0);
        }
        return n[0];
    }

    @Override
    public Map<String, String> queries() {
        Map<String, String> out = new LinkedHashMap<>();
        eachQuery(row -> out.put(row.required("qid"), row.required("query")));
        return out;
    }

    @Override
    public Qrels qrels(String split) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        eachQuery(row -> {
            Map<String, Integer> judged = out.computeIfAbsent(row.required("qid"), q -> new HashMap<>());
            row.strings("answer_pids").forEach(pid -> judged.put(pid, 1));
        });
        return new Qrels(out);
    }

    private void eachQuery(Consumer<Rows.Row> action) {
        boolean[] any = {false};
        for (Path file : files(queryRepo)) {
            Rows.forEach(file, QUERY_COLUMNS, row -> {
                if (task.equals(row.text("dataset"))) {
                    any[0] = true;
                    action.accept(row);
                }
            });
        }
        if (!any[0]) {
            throw new RerankException("hf:" + queryRepo.repo() + " has no query of task '" + task + "' (LoCo's "
                    + "original tasks: " + String.join(", ", TASKS) + ")");
        }
    }

    private static List<Path> files(ResolvedDataset d) {
        return d.card().dataFiles(d.files()).stream().map(d.directory()::resolve).toList();
    }
}
