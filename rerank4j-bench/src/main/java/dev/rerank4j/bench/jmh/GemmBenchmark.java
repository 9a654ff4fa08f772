package dev.rerank4j.bench.jmh;

import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * The matrix multiply at the encoder's shapes: {@code c[M, N] = a[M, K] · wᵀ} with 2 compute threads.
 * GFLOP/s = 2·M·K·N · (ops/s) / 1e9. With -Drerank4j.kernels=scalar it measures the reference instead.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp 'rerank4j-bench/target/classes:rerank4j-bench/target/lib/*'
 * org.openjdk.jmh.Main GemmBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"128", "512", "4096"})
    int m;

    /** K x N: QKV, attention output, feed-forward in (plain and gated width) and out. */
    @Param({"384x1152", "384x384", "384x1536", "1536x384", "384x3072", "3072x384"})
    String kn;

    @Param({"2"})
    int threads;

    Kernels kernels;
    ComputePool pool;
    PackedMatrix w;
    float[] a;
    float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = kn.split("x");
        int k = Integer.parseInt(parts[0]);
        int n = Integer.parseInt(parts[1]);
        Random random = new Random(1);
        kernels = KernelsProvider.choose();
        pool = new ComputePool(threads);
        a = floats(random, m * k);
        c = new float[m * n];
        float[] wv = floats(random, n * k);
        ByteBuffer b = ByteBuffer.allocate(wv.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(wv);
        w = kernels.pack(Tensor.of("w", DType.F32, new int[] {n, k}, b));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] matmul() {
        kernels.matmul(a, m, w, null, Activation.IDENTITY, c, pool);
        return c;
    }

    static float[] floats(Random random, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = random.nextFloat() - 0.5f;
        }
        return f;
    }
}
