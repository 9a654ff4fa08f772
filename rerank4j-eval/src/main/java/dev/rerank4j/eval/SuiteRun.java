package dev.rerank4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Evaluates several rerankers over several datasets, as the card's table does: per dataset, the first stage
 * retrieves once and every reranker reorders the same candidates. Each dataset's reports go to
 * {@code out/<dataset>/}, and its row to {@code out/<dataset>/suite-row.json} once all its rerankers are done, so
 * a run that was interrupted resumes from the datasets already finished (when the settings match) without opening
 * them again. The suite's table, JSON and bar chart go to {@code out/suite.*}.
 */
public final class SuiteRun {
    static final String ROW_FILE = "suite-row.json";

    private SuiteRun() {
    }

    /**
     * A reranker of the comparison.
     *
     * @param name what the table calls it, e.g. the Hub id the user typed
     */
    public record Model(Path directory, String name) {
    }

    /**
     * @param specs    dataset specs in table order ({@link DatasetSpecs})
     * @param open     opens (and downloads) a spec's dataset; called only for datasets not already done
     * @param template the settings of every dataset but the dataset itself, without a model
     * @param models   the rerankers, the table's columns; empty evaluates the first stage alone
     */
    public static SuiteResult run(List<String> specs, Function<String, Dataset> open, EvalSettings template,
            List<Model> models, Path out, Progress progress) {
        List<String> modelKeys = models.stream().map(m -> m.name() + "=" + m.directory()).toList();
        String key = settingsKey(template);
        List<SuiteResult.Row> rows = new ArrayList<>();
        // One name when every dataset had the same first stage; "shipped" falls back to BM25 where none is shipped.
        Set<String> firstStageNames = new LinkedHashSet<>();
        try (Progress.Task suite = progress.start("Suite", specs.size())) {
            for (String spec : specs) {
                String name = DatasetSpecs.nameOf(spec);
                Path dir = out.resolve(name);
                Optional<Done> done = readDone(dir.resolve(ROW_FILE))
                        .filter(d -> d.models().equals(modelKeys) && d.settingsKey().equals(key));
                Done row = done.orElseGet(() -> {
                    EvalSettings s = template.withDataset(open.apply(spec), template.split());
                    Done measured = measure(s, models, modelKeys, dir, key, progress);
                    writeDone(dir.resolve(ROW_FILE), measured);
                    return measured;
                });
                rows.add(new SuiteResult.Row(name, row.queries(), row.firstStage(), row.reranked(),
                        done.isPresent()));
                firstStageNames.add(row.firstStageName());
                suite.step(1);
            }
        }
        SuiteResult result = new SuiteResult(String.join(" / ", firstStageNames),
                models.stream().map(Model::name).toList(), rows);
        SuiteReport.write(out, result, template);
        return result;
    }

    /** One dataset: one retrieval, then every reranker on the same candidates, each with its report. */
    private static Done measure(EvalSettings s, List<Model> models, List<String> modelKeys, Path dir, String key,
            Progress progress) {
        Evaluation.Candidates candidates = Evaluation.retrieve(s, progress);
        List<Double> reranked = new ArrayList<>();
        EvalResult last = null;
        if (models.isEmpty()) {
            last = Evaluation.rerank(candidates, s, progress);
            Report.write(dir.resolve("first-stage.md"), last);
        }
        for (Model model : models) {
            last = Evaluation.rerank(candidates, s.withModel(model.directory()), progress);
            Report.write(dir.resolve(model.name().replace("/", "--") + ".md"), last);
            reranked.add(last.reranked().get("ndcg@10"));
        }
        return new Done(modelKeys, last.firstStageName(), last.queries(), last.firstStage().get("ndcg@10"),
                reranked, key);
    }

    /** What must match for a finished dataset to be reused. */
    private static String settingsKey(EvalSettings s) {
        return String.join("|", s.split(), s.firstStage().toString(), s.bm25().toString(), Integer.toString(s.topK()),
                s.longDocuments().name(), Integer.toString(s.maxLength()), Integer.toString(s.chunkOverlap()));
    }

    /**
     * A finished dataset, as stored for resuming.
     *
     * @param models each reranker's name and directory, in column order
     */
    private record Done(List<String> models, String firstStageName, int queries, double firstStage,
            List<Double> reranked, String settingsKey) {
    }

    private static Optional<Done> readDone(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = Report.JSON.readTree(file.toFile());
            List<String> models = new ArrayList<>();
            n.path("models").forEach(m -> models.add(m.asText()));
            List<Double> reranked = new ArrayList<>();
            n.path("reranked_ndcg@10").forEach(m -> reranked.add(m.asDouble()));
            return Optional.of(new Done(models, n.path("first_stage").asText(), n.path("queries").asInt(),
                    n.path("first_stage_ndcg@10").asDouble(), reranked, n.path("settings").asText()));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: measured again
        }
    }

    /** Written to a temporary file and moved into place, so a run killed mid-write leaves no half row. */
    private static void writeDone(Path file, Done d) {
        ObjectNode o = Report.JSON.createObjectNode();
        d.models().forEach(o.putArray("models")::add);
        o.put("first_stage", d.firstStageName());
        o.put("queries", d.queries());
        o.put("first_stage_ndcg@10", d.firstStage());
        d.reranked().forEach(o.putArray("reranked_ndcg@10")::add);
        o.put("settings", d.settingsKey());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".suite-row", ".tmp");
            Files.writeString(tmp, Report.JSON.writeValueAsString(o), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
