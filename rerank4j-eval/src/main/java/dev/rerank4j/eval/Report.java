package dev.rerank4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.LongDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The evaluation as a console table, a Markdown report with SVG plots, and JSON. */
public final class Report {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    /** Measures side by side: first stage, reranked and the change. */
    public static String table(EvalResult r) {
        StringBuilder sb = new StringBuilder();
        boolean reranked = r.reranked() != null;
        sb.append(reranked ? "| metric | first stage | reranked | change |\n|---|---:|---:|---:|\n"
                : "| metric | first stage |\n|---|---:|\n");
        for (var e : r.firstStage().entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(f4(e.getValue()));
            if (reranked) {
                double after = r.reranked().get(e.getKey());
                sb.append(" | ").append(f4(after)).append(" | ").append(signed(after - e.getValue()));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    /** Where the time went, one line. */
    public static String timings(EvalResult r) {
        Timings t = r.timings();
        String s = String.format(Locale.ROOT, "queries %d; first stage %.1f s", r.queries(), t.firstStageSeconds());
        if (r.modelId() != null) {
            s += String.format(Locale.ROOT, "; rerank %d pairs in %.1f s (%.1f pairs/s%s)", t.pairs(),
                    t.rerankSeconds(), t.pairsPerSecond(), t.tokens() > 0 ? ", " + t.tokens() + " tokens" : "");
        }
        return s + String.format(Locale.ROOT, "; total %.1f s", t.totalSeconds());
    }

    /** The final measures as one JSON object on one line. */
    public static String finalMetricsJson(EvalResult r) {
        ObjectNode o = JSON.createObjectNode();
        r.finalMetrics().forEach(o::put);
        return o.toString();
    }

    /**
     * Writes {@code report} (Markdown) and beside it the same name with {@code .json}, {@code -depth.svg} and, when
     * reranked, {@code -per-query.svg}.
     */
    public static void write(Path report, EvalResult r) {
        String base = report.getFileName().toString().replaceFirst("\\.md$", "");
        Path depthSvg = report.resolveSibling(base + "-depth.svg");
        Path perQuerySvg = report.resolveSibling(base + "-per-query.svg");
        createParent(report);
        try {
            Files.writeString(report, markdown(r, depthSvg.getFileName().toString(),
                    perQuerySvg.getFileName().toString()), StandardCharsets.UTF_8);
            Files.writeString(report.resolveSibling(base + ".json"), JSON.writeValueAsString(json(r)),
                    StandardCharsets.UTF_8);
            if (r.modelId() != null) {
                Files.writeString(depthSvg, Plots.depthCurve(r.depthCurve()), StandardCharsets.UTF_8);
                Files.writeString(perQuerySvg, Plots.perQuery(r.perQueryFirstStage(), r.perQueryReranked(),
                        "ndcg@10"), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(report + ": " + e.getMessage(), e);
        }
    }

    static String markdown(EvalResult r, String depthSvg, String perQuerySvg) {
        EvalSettings s = r.settings();
        StringBuilder sb = new StringBuilder("# rerank4j evaluation\n\n## Settings\n\n");
        sb.append("| setting | value |\n|---|---|\n");
        row(sb, "dataset", s.dataset().location() + " (split " + s.split() + ", " + r.queries() + " judged queries)");
        row(sb, "first stage", r.firstStageName());
        row(sb, "reranker", r.modelId() == null ? "none (first stage alone)" : r.modelId());
        row(sb, "top-k reranked", Integer.toString(s.topK()));
        if (r.modelId() != null) {
            row(sb, "long documents", s.longDocuments().name().toLowerCase(Locale.ROOT)
                    + (s.longDocuments() == LongDocuments.CHUNK ? " (overlap " + s.chunkOverlap() + ")" : ""));
            row(sb, "max length", s.maxLength() == 0 ? "model default" : Integer.toString(s.maxLength()));
        }
        row(sb, "threads", Integer.toString(s.threads()));
        sb.append("\n## Metrics\n\nMeans over judged queries; trec_eval semantics (graded gains, log2 discount, "
                + "ties by document id descending).\n\n").append(table(r));
        sb.append("\n## Timings\n\n").append(timings(r)).append("\n");
        if (r.modelId() != null) {
            sb.append("\n## NDCG@10 against rerank depth\n\n| depth | ndcg@10 |\n|---:|---:|\n");
            for (DepthPoint p : r.depthCurve()) {
                sb.append("| ").append(p.depth() == 0 ? "0 (first stage)" : p.depth()).append(" | ")
                        .append(f4(p.ndcg10())).append(" |\n");
            }
            sb.append("\n![NDCG@10 against rerank depth](").append(depthSvg).append(")\n");
            sb.append("\n## Per query\n\n").append(perQuerySummary(r)).append("\n\n![NDCG@10 per query, first stage "
                    + "against reranked](").append(perQuerySvg).append(")\n");
        }
        return sb.toString();
    }

    private static String perQuerySummary(EvalResult r) {
        int better = 0;
        int worse = 0;
        for (var e : r.perQueryFirstStage().entrySet()) {
            double before = e.getValue().get("ndcg@10");
            double after = r.perQueryReranked().get(e.getKey()).get("ndcg@10");
            better += after > before + 1e-12 ? 1 : 0;
            worse += after < before - 1e-12 ? 1 : 0;
        }
        return "NDCG@10 improved on " + better + " queries, dropped on " + worse + ", unchanged on "
                + (r.queries() - better - worse) + ".";
    }

    static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException(parent + ": cannot create directory (" + e.getMessage() + ")", e);
        }
    }

    static ObjectNode json(EvalResult r) {
        EvalSettings s = r.settings();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode settings = root.putObject("settings");
        settings.put("dataset", s.dataset().location());
        settings.put("split", s.split());
        settings.put("first_stage", r.firstStageName());
        settings.put("model", r.modelId());
        settings.put("top_k", s.topK());
        settings.put("long_documents", s.longDocuments().name().toLowerCase(Locale.ROOT));
        settings.put("max_length", s.maxLength());
        settings.put("chunk_overlap", s.chunkOverlap());
        settings.put("threads", s.threads());
        root.put("queries", r.queries());
        putMetrics(root.putObject("first_stage"), r.firstStage());
        if (r.reranked() != null) {
            putMetrics(root.putObject("reranked"), r.reranked());
            var curve = root.putArray("ndcg@10_by_depth");
            r.depthCurve().forEach(p -> curve.addObject().put("depth", p.depth()).put("ndcg@10", p.ndcg10()));
        }
        Timings t = r.timings();
        root.putObject("timings").put("first_stage_s", t.firstStageSeconds()).put("rerank_s", t.rerankSeconds())
                .put("pairs", t.pairs()).put("tokens", t.tokens()).put("pairs_per_s", t.pairsPerSecond())
                .put("total_s", t.totalSeconds());
        ObjectNode perQuery = root.putObject("per_query");
        r.perQueryFirstStage().forEach((q, m) -> {
            ObjectNode o = perQuery.putObject(q);
            putMetrics(o.putObject("first_stage"), m);
            if (r.perQueryReranked() != null) {
                putMetrics(o.putObject("reranked"), r.perQueryReranked().get(q));
            }
        });
        return root;
    }

    private static void putMetrics(ObjectNode o, Map<String, Double> m) {
        m.forEach(o::put);
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }
}
