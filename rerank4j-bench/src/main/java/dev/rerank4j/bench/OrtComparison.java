package dev.rerank4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.model.Batch;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * rerank4j against ONNX Runtime (Java, CPU, MLAS kernels) on the same weights and inputs: all-MiniLM-L6-v2
 * from the langchain4j artifact, SciFact (query, abstract) pairs tokenized once by rerank4j's tokenizer and
 * truncated at 512 tokens, batches of 32, the forward pass only. ONNX Runtime gets padded batches, sorted by
 * length (its best practice) and in dataset order; rerank4j gets unpadded batches, sorted as its API sorts
 * them. Modes alternate round by round so they share the machine's load; medians are reported, with the
 * cores each mode actually got (process CPU time / wall time; ORT's spinning threads count as busy).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp 'rerank4j-bench/target/classes:rerank4j-bench/target/lib/*'
 * dev.rerank4j.bench.OrtComparison SCIFACT_DIR [pairs] [rounds] [threads]}
 */
public final class OrtComparison {
    static final int MAX_LENGTH = 512;
    static final int BATCH = 32;

    private OrtComparison() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 160;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path cache = Files.createTempDirectory("rerank4j-ortbench-");
        Path dir = new BundledMiniLm(cache).resolve().directory();
        try (Engine engine = Engine.load(dir, new EngineOptions(threads, 16_384));
                ComputePool pool = new ComputePool(threads);
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(dir.resolve("onnx/model.onnx").toString(), so)) {
                List<TextPair> pairs = BeirPairs.load(data);
                List<Encoding> enc = new ArrayList<>();
                for (TextPair p : pairs.subList(0, Math.min(limit, pairs.size()))) {
                    enc.add(engine.tokenizer().encodePair(p.query(), p.document(), Truncation.longestFirst(MAX_LENGTH)));
                }
                List<List<Encoding>> sorted = batches(enc.stream()
                        .sorted(Comparator.comparingInt(Encoding::length).reversed()).toList());
                List<List<Encoding>> unsorted = batches(enc);
                long tokens = enc.stream().mapToLong(Encoding::length).sum();
                System.out.printf("all-MiniLM-L6-v2, %d SciFact pairs (%d tokens, truncated at %d), batches of %d, "
                        + "%d threads, rerank4j kernels: %s, onnxruntime %s%n", enc.size(), tokens, MAX_LENGTH, BATCH,
                        threads, engine.model().kernels().name(), env.getVersion());
                System.out.printf("largest |rerank4j - ORT| on the first sorted batch's hidden states: %.2e%n",
                        maxDifference(engine, pool, session, env, sorted.get(0)));
                String[] modes = {"rerank4j sorted, unpadded", "rerank4j dataset order, unpadded",
                    "ORT sorted, padded", "ORT dataset order, padded"};
                double[][] secs = new double[modes.length][rounds];
                double[][] cores = new double[modes.length][rounds];
                for (int warm = 0; warm < 2; warm++) {
                    runRerank4j(engine, pool, sorted);
                    runOrt(session, env, sorted);
                }
                Run[] runs = {() -> runRerank4j(engine, pool, sorted), () -> runRerank4j(engine, pool, unsorted),
                    () -> runOrt(session, env, sorted), () -> runOrt(session, env, unsorted)};
                for (int r = 0; r < rounds; r++) {
                    for (int m = 0; m < modes.length; m++) {
                        long c0 = Stats.processCpuNanos();
                        secs[m][r] = time(runs[m]);
                        cores[m][r] = (Stats.processCpuNanos() - c0) / 1e9 / secs[m][r];
                    }
                }
                double[] rate = new double[modes.length];
                for (int m = 0; m < modes.length; m++) {
                    rate[m] = enc.size() / Stats.median(secs[m]);
                    System.out.printf("%-34s %7.1f pairs/s %8.0f tokens/s (median of %d; min %.2f s, max %.2f s;"
                            + " %.2f cores)%n", modes[m], rate[m], rate[m] * tokens / enc.size(), rounds,
                            Stats.percentile(secs[m], 0), Stats.percentile(secs[m], 100), Stats.median(cores[m]));
                }
                System.out.printf("rerank4j sorted / ORT sorted: %.2fx; rerank4j sorted / ORT dataset order: %.2fx%n",
                        rate[0] / rate[2], rate[0] / rate[3]);
            }
        }
    }

    interface Run {
        void run() throws Exception;
    }

    static double time(Run r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static List<List<Encoding>> batches(List<Encoding> all) {
        List<List<Encoding>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            out.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
        return out;
    }

    static float[] runRerank4j(Engine engine, ComputePool pool, List<List<Encoding>> batches) {
        float[] last = null;
        for (List<Encoding> b : batches) {
            last = engine.model().hiddenStates(batchOf(b), pool);
        }
        return last;
    }

    private static Batch batchOf(List<Encoding> b) {
        int[][] ids = b.stream().map(Encoding::ids).toArray(int[][]::new);
        int[][] types = b.stream().map(Encoding::typeIds).toArray(int[][]::new);
        return Batch.of(ids, types);
    }

    static float[][][] runOrt(OrtSession session, OrtEnvironment env, List<List<Encoding>> batches)
            throws OrtException {
        float[][][] last = null;
        for (List<Encoding> b : batches) {
            last = ortBatch(session, env, b);
        }
        return last;
    }

    /** One padded batch: ids, attention mask and token types as [batch, longest] int64 tensors. */
    private static float[][][] ortBatch(OrtSession session, OrtEnvironment env, List<Encoding> b) throws OrtException {
        int n = b.size();
        int width = b.stream().mapToInt(Encoding::length).max().orElse(0);
        long[] ids = new long[n * width];
        long[] mask = new long[n * width];
        long[] types = new long[n * width];
        for (int s = 0; s < n; s++) {
            Encoding e = b.get(s);
            for (int i = 0; i < e.length(); i++) {
                ids[s * width + i] = e.ids()[i];
                mask[s * width + i] = 1;
                types[s * width + i] = e.typeIds()[i];
            }
        }
        long[] shape = {n, width};
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result out = session.run(in)) {
                return (float[][][]) out.get(0).getValue();
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private static double maxDifference(Engine engine, ComputePool pool, OrtSession session, OrtEnvironment env,
            List<Encoding> b) throws OrtException {
        float[] ours = engine.model().hiddenStates(batchOf(b), pool);
        float[][][] theirs = ortBatch(session, env, b);
        int h = engine.model().hiddenSize();
        double max = 0;
        int row = 0;
        for (int s = 0; s < b.size(); s++) {
            for (int i = 0; i < b.get(s).length(); i++, row++) {
                for (int c = 0; c < h; c++) {
                    max = Math.max(max, Math.abs(ours[row * h + c] - theirs[s][i][c]));
                }
            }
        }
        return max;
    }
}
