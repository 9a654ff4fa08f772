package dev.rerank4j.bench.jmh;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Self-attention of one sequence with 12 heads of 32 (jina-reranker-v1-tiny-en and MiniLM), ALiBi on, heads
 * spread over the compute threads. GFLOP/s = 4·len²·384 · (ops/s) / 1e9.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionBenchmark {
    private static final int HEADS = 12;
    private static final int HEAD_DIM = 32;

    @Param({"128", "512", "2048"})
    int len;

    Kernels kernels;
    ComputePool pool;
    float[] qkv;
    float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = KernelsProvider.choose();
        pool = new ComputePool(2);
        qkv = GemmBenchmark.floats(new Random(2), len * 3 * HEADS * HEAD_DIM);
        out = new float[len * HEADS * HEAD_DIM];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] attention() {
        pool.forRange(HEADS, 1, (h0, h1) -> {
            for (int h = h0; h < h1; h++) {
                kernels.attention(qkv, out, 0, len, len, HEADS, HEAD_DIM, h, 0.5f / (h + 1));
            }
        });
        return out;
    }
}
