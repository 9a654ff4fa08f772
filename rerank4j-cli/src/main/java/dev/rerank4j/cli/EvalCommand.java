package dev.rerank4j.cli;

import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.Quantize;
import dev.rerank4j.eval.Bm25Index;
import dev.rerank4j.eval.Dataset;
import dev.rerank4j.eval.DatasetSpecs;
import dev.rerank4j.eval.EvalResult;
import dev.rerank4j.eval.EvalSettings;
import dev.rerank4j.eval.Evaluation;
import dev.rerank4j.eval.FirstStageSpec;
import dev.rerank4j.eval.Progress;
import dev.rerank4j.eval.Report;
import dev.rerank4j.eval.Suite;
import dev.rerank4j.eval.SuiteReport;
import dev.rerank4j.eval.SuiteResult;
import dev.rerank4j.eval.SuiteRun;
import dev.rerank4j.eval.TrecRunFile;
import dev.rerank4j.hub.DatasetResolver;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ModelResolver;
import dev.rerank4j.hub.ResolvedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", description = "Measure ranking quality on a BEIR-layout dataset, a Hub dataset or a whole "
        + "suite: a first stage, then the model(s) reranking its top-k. Prints a table and, as the last line, the "
        + "final metrics as JSON.")
final class EvalCommand implements Callable<Integer> {
    /** Hardwood logs its codec choices at INFO on stderr; only its warnings are worth a user's attention. */
    private static final Logger HARDWOOD_LOG = Logger.getLogger("dev.hardwood");

    private final Supplier<HubConfig> hubConfig;

    EvalCommand() {
        this(HubConfig::fromSystem);
    }

    EvalCommand(Supplier<HubConfig> hubConfig) {
        this.hubConfig = hubConfig;
    }

    @Option(names = "--dataset", paramLabel = "D",
            description = "A BEIR directory (corpus.jsonl, queries.jsonl, qrels/<split>.tsv), hf:org/name[@rev] "
                    + "(e.g. hf:BeIR/scifact, judgements from hf:BeIR/scifact-qrels) or loco:TASK.")
    String dataset;

    @Option(names = "--suite", paramLabel = "S",
            description = "beir, nanobeir or loco: every dataset of the suite, one table in the model card's form.")
    String suite;

    @Option(names = "--models", split = ",", paramLabel = "M,M",
            description = "Several rerankers, compared on the same first-stage candidates (one table).")
    List<String> models;

    @Option(names = "--out", defaultValue = "rerank4j-eval-out", paramLabel = "DIR",
            description = "With --suite or --models: where the per-dataset reports and the suite report go; a rerun "
                    + "resumes from the datasets already finished there (default: rerank4j-eval-out).")
    Path out;

    @Option(names = "--split", paramLabel = "NAME",
            description = "Qrels split (default: test; NanoBEIR's is train).")
    String split;

    @Option(names = {"-m", "--model"}, paramLabel = "M",
            description = "Reranker: a model directory, a Hugging Face id or 'bundled' (all-MiniLM-L6-v2 as a "
                    + "bi-encoder). Without it the first stage is evaluated alone.")
    String model;

    @Option(names = "--first-stage", paramLabel = "S",
            description = "bm25 (Lucene, EnglishAnalyzer), dense:M (bi-encoder M as for --model, exact cosine), "
                    + "run:FILE (TREC run) or shipped (the dataset's own ranking, as NanoBEIR's BM25, else bm25). "
                    + "Default: shipped for --suite nanobeir, bm25 otherwise.")
    String firstStage;

    @Option(names = "--top-k", defaultValue = "100", paramLabel = "K", description = "Candidates per query (default: 100).")
    int topK;

    @Option(names = "--k1", defaultValue = "0.9", paramLabel = "X", description = "BM25 k1 (default: 0.9, Anserini's).")
    float k1;

    @Option(names = "--b", defaultValue = "0.4", paramLabel = "X", description = "BM25 b (default: 0.4, Anserini's).")
    float b;

    @Option(names = "--long-documents", defaultValue = "truncate", paramLabel = "MODE",
            description = "truncate, chunk (windows with overlap, best window's score) or full (the model's whole "
                    + "position range, e.g. 8192 for JinaBERT). Default: truncate.")
    String longDocuments;

    @Option(names = "--max-length", defaultValue = "0", paramLabel = "N",
            description = "Tokens per pair, or per window when chunking (default: the model's).")
    int maxLength;

    @Option(names = "--chunk-overlap", defaultValue = "32", paramLabel = "N",
            description = "Tokens shared by neighbouring windows (default: 32).")
    int chunkOverlap;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Pairs per forward pass.")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--quantize", paramLabel = "none|int8", defaultValue = "none",
            description = "int8: run the reranker's linear layers as int8 (the first stage stays exact). "
                    + "Default: ${DEFAULT-VALUE}.")
    String quantize;

    @Option(names = "--embedding-cache", paramLabel = "DIR",
            description = "Keep bi-encoder embeddings in DIR, so the dense first stage and a bi-encoder reranker of "
                    + "the same model, or a rerun, embed each text once.")
    Path embeddingCache;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write a Markdown report, with FILE's name in .json and SVG plots beside it.")
    Path report;

    @Option(names = "--run-out", paramLabel = "FILE", description = "Write the final ranking as a TREC run file.")
    Path runOut;

    @Override
    public Integer call() {
        HARDWOOD_LOG.setLevel(Level.WARNING);
        if ((dataset == null) == (suite == null)) {
            throw new IllegalArgumentException("give one of --dataset or --suite");
        }
        if (model != null && models != null) {
            throw new IllegalArgumentException("give --model or --models, not both");
        }
        HubConfig hub = hubConfig.get();
        ModelResolver resolver = new ModelResolver(hub, ProgressBars.forStderr());
        DatasetSpecs specs = new DatasetSpecs(new DatasetResolver(hub, ProgressBars.forStderr()));
        Suite chosen = suite == null ? null : Suite.parse(suite);
        FirstStageSpec first = firstStage != null ? FirstStageSpec.parse(firstStage)
                : chosen != null ? chosen.firstStage() : new FirstStageSpec.Bm25();
        if (first instanceof FirstStageSpec.Dense d) {
            first = new FirstStageSpec.Dense(resolver.resolve(d.model().toString()).directory());
        }
        String theSplit = split != null ? split : chosen != null ? chosen.split() : "test";
        EvalSettings template = new EvalSettings(null, theSplit, first, new Bm25Index.Params(k1, b), null, topK,
                parseLongDocuments(longDocuments), maxLength, chunkOverlap, batchSize,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads, embeddingCache,
                Quantize.parse(quantize));
        if (chosen != null || models != null) {
            List<SuiteRun.Model> dirs = new ArrayList<>();
            for (String m : models == null ? List.<String>of() : models) {
                ResolvedModel resolved = resolver.resolve(m.strip());
                dirs.add(new SuiteRun.Model(resolved.directory(), resolved.modelId()));
            }
            List<String> datasets = chosen != null ? chosen.datasets() : List.of(dataset);
            if (chosen != null) {
                System.err.println(chosen.describe());
            }
            SuiteResult result = SuiteRun.run(datasets, specs::open, template, dirs, out, Progress.onStderr());
            System.out.print(SuiteReport.table(result));
            System.out.println("reports: " + out.resolve("suite.md") + " and " + out + "/<dataset>/");
            return 0;
        }
        Path modelDir = model == null ? null : resolver.resolve(model).directory();
        Dataset data = specs.open(dataset);
        EvalSettings settings = template.withDataset(data, theSplit).withModel(modelDir);
        EvalResult result = Evaluation.run(settings, Progress.onStderr());
        if (runOut != null) {
            TrecRunFile.write(runOut, result.finalRun(), model == null ? "rerank4j-first-stage" : "rerank4j");
        }
        if (report != null) {
            Report.write(report, result);
        }
        System.out.println("first stage: " + result.firstStageName()
                + (result.modelId() == null ? "" : "; reranker: " + result.modelId() + ", top " + topK));
        System.out.print(Report.table(result));
        System.out.println(Report.timings(result));
        System.out.println(Report.finalMetricsJson(result));
        return 0;
    }

    private static LongDocuments parseLongDocuments(String mode) {
        try {
            return LongDocuments.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--long-documents '" + mode + "': expected truncate, chunk or full");
        }
    }
}
