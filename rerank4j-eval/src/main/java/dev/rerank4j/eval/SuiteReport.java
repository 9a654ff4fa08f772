package dev.rerank4j.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A suite's table in the model card's form (NDCG@10 x 100, a row per dataset, the mean last), JSON and a chart. */
public final class SuiteReport {

    private SuiteReport() {
    }

    /** The card's table: dataset, judged queries, the first stage and each reranker, then the mean of the rows. */
    public static String table(SuiteResult r) {
        StringBuilder sb = new StringBuilder("| dataset | queries | ").append(r.firstStageName());
        r.models().forEach(m -> sb.append(" | ").append(m));
        sb.append(" |\n|---|---:|---:").append("|---:".repeat(r.models().size())).append("|\n");
        for (SuiteResult.Row row : r.rows()) {
            sb.append("| ").append(row.dataset()).append(" | ").append(row.queries()).append(" | ")
                    .append(f2(row.firstStage()));
            row.reranked().forEach(v -> sb.append(" | ").append(f2(v)));
            sb.append(" |\n");
        }
        sb.append("| **mean** | | ").append(f2(r.meanFirstStage()));
        for (int m = 0; m < r.models().size(); m++) {
            sb.append(" | ").append(f2(r.meanReranked(m)));
        }
        return sb.append(" |\n").toString();
    }

    /** Writes {@code out/suite.md}, {@code out/suite.json} and {@code out/suite.svg}. */
    static void write(Path out, SuiteResult r, EvalSettings template) {
        List<String> groups = new ArrayList<>();
        r.rows().forEach(row -> groups.add(row.dataset()));
        groups.add("mean");
        List<String> series = new ArrayList<>();
        series.add(r.firstStageName());
        series.addAll(r.models());
        double[][] values = new double[groups.size()][series.size()];
        for (int g = 0; g < r.rows().size(); g++) {
            SuiteResult.Row row = r.rows().get(g);
            values[g][0] = row.firstStage();
            for (int m = 0; m < r.models().size(); m++) {
                values[g][m + 1] = row.reranked().get(m);
            }
        }
        values[groups.size() - 1][0] = r.meanFirstStage();
        for (int m = 0; m < r.models().size(); m++) {
            values[groups.size() - 1][m + 1] = r.meanReranked(m);
        }
        StringBuilder md = new StringBuilder("# rerank4j suite evaluation\n\n");
        md.append(String.format(Locale.ROOT, "NDCG@10 x 100 on split %s; first stage %s, top %d reranked; long "
                        + "documents %s. Per-dataset reports: `<dataset>/<model>.md`.%n%n", template.split(),
                r.firstStageName(), template.topK(), template.longDocuments().name().toLowerCase(Locale.ROOT)));
        md.append(table(r)).append("\n![NDCG@10 by dataset](suite.svg)\n");
        ObjectNode json = Report.JSON.createObjectNode();
        json.put("split", template.split()).put("first_stage", r.firstStageName()).put("top_k", template.topK());
        r.models().forEach(json.putArray("models")::add);
        var rows = json.putArray("rows");
        for (SuiteResult.Row row : r.rows()) {
            ObjectNode o = rows.addObject().put("dataset", row.dataset()).put("queries", row.queries())
                    .put("first_stage_ndcg@10", row.firstStage()).put("resumed", row.resumed());
            row.reranked().forEach(o.putArray("reranked_ndcg@10")::add);
        }
        ObjectNode mean = json.putObject("mean").put("first_stage_ndcg@10", r.meanFirstStage());
        var meanReranked = mean.putArray("reranked_ndcg@10");
        for (int m = 0; m < r.models().size(); m++) {
            meanReranked.add(r.meanReranked(m));
        }
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("suite.md"), md, StandardCharsets.UTF_8);
            Files.writeString(out.resolve("suite.json"), Report.JSON.writeValueAsString(json), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("suite.svg"), Plots.bars("NDCG@10 by dataset", groups, series, values),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the suite report (" + e.getMessage() + ")", e);
        }
    }

    static String f2(double ndcg) {
        return String.format(Locale.ROOT, "%.2f", ndcg * 100);
    }
}
