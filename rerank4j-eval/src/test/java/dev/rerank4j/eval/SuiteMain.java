package dev.rerank4j.eval;

import dev.rerank4j.hub.DatasetResolver;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ProgressListener;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A suite run in its own process, for {@link SuiteKillTest}: arguments are the Hub endpoint, the Hub cache, the
 * output folder, the reranker's directory and the dataset specs. Prints the suite's table.
 */
public final class SuiteMain {
    private SuiteMain() {
    }

    /** BM25 top 4, one thread, the model's own length: what {@link SuiteKillTest} expects. */
    static EvalSettings template() {
        EvalSettings d = EvalSettings.defaults(Path.of("unused")).withTopK(4);
        return new EvalSettings(null, "test", d.firstStage(), d.bm25(), null, d.topK(), d.longDocuments(), 0,
                d.chunkOverlap(), d.batchSize(), 1, null);
    }

    public static void main(String[] args) {
        Path cache = Path.of(args[1]);
        // A long read timeout: the test stalls a download on purpose and kills this process during the stall.
        HubConfig config = new HubConfig(URI.create(args[0]), Optional.empty(), cache, cache.resolveSibling("rerank4j"),
                false, Duration.ofSeconds(5), Duration.ofMinutes(10), 3, Duration.ofMillis(10), Optional.empty());
        DatasetSpecs specs = new DatasetSpecs(new DatasetResolver(config, ProgressListener.NONE));
        List<String> datasets = Arrays.asList(args).subList(4, args.length);
        SuiteResult result = SuiteRun.run(datasets, specs::open, template(),
                List.of(new SuiteRun.Model(Path.of(args[3]), "jinabert-mini")), Path.of(args[2]), Progress.QUIET);
        System.out.print(SuiteReport.table(result));
    }
}
