package dev.rerank4j.cli;

import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.eval.Bm25Index;
import dev.rerank4j.eval.EvalResult;
import dev.rerank4j.eval.EvalSettings;
import dev.rerank4j.eval.Evaluation;
import dev.rerank4j.eval.FirstStageSpec;
import dev.rerank4j.eval.Progress;
import dev.rerank4j.eval.Report;
import dev.rerank4j.eval.TrecRunFile;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ModelResolver;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", description = "Measure ranking quality on a BEIR-layout dataset: a first stage, then the "
        + "model reranking its top-k. Prints a table and, as the last line, the final metrics as JSON.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "BEIR dataset directory: corpus.jsonl, queries.jsonl, qrels/<split>.tsv.")
    Path dataset;

    @Option(names = "--split", defaultValue = "test", paramLabel = "NAME", description = "Qrels split (default: test).")
    String split;

    @Option(names = {"-m", "--model"}, paramLabel = "M",
            description = "Reranker: a model directory, a Hugging Face id or 'bundled' (all-MiniLM-L6-v2 as a "
                    + "bi-encoder). Without it the first stage is evaluated alone.")
    String model;

    @Option(names = "--first-stage", defaultValue = "bm25", paramLabel = "S",
            description = "bm25 (Lucene, EnglishAnalyzer), dense:M (bi-encoder M as for --model, exact cosine) or "
                    + "run:FILE (TREC run). Default: bm25.")
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
        ModelResolver resolver = new ModelResolver(HubConfig.fromSystem(), ProgressBars.forStderr());
        FirstStageSpec first = FirstStageSpec.parse(firstStage);
        if (first instanceof FirstStageSpec.Dense d) {
            first = new FirstStageSpec.Dense(resolver.resolve(d.model().toString()).directory());
        }
        Path modelDir = model == null ? null : resolver.resolve(model).directory();
        EvalSettings settings = new EvalSettings(dataset, split, first, new Bm25Index.Params(k1, b), modelDir, topK, parseLongDocuments(longDocuments), maxLength, chunkOverlap,
                batchSize, threads == null ? Runtime.getRuntime().availableProcessors() : threads, embeddingCache);
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
