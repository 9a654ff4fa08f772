package dev.rerank4j.kernels;

import dev.rerank4j.weights.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Kernels on the incubating Vector API. Only loaded when {@code jdk.incubator.vector} is present. */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final ScalarKernels scalar = new ScalarKernels();

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit)";
    }

    @Override
    public PackedMatrix pack(Tensor... rowBlocks) {
        return ScalarKernels.packRowMajor(rowBlocks);
    }

    @Override
    public void matmul(float[] a, int m, PackedMatrix w, float[] bias, float[] c, ComputePool pool) {
        ScalarKernels.RowMajor rm = (ScalarKernels.RowMajor) w;
        int n = rm.rows();
        int k = rm.cols();
        float[] wd = rm.data();
        // Parallel over output columns when there are few rows, so both cores work on short inputs too.
        if (m >= 2 * pool.threads() * 4) {
            pool.forRange(m, 4, (start, end) -> block(a, start, end, wd, 0, n, k, bias, c, n));
        } else {
            pool.forRange(n, 64, (start, end) -> block(a, 0, m, wd, start, end, k, bias, c, n));
        }
    }

    private void block(float[] a, int i0, int i1, float[] wd, int j0, int j1, int k, float[] bias, float[] c, int n) {
        int kv = S.loopBound(k);
        for (int i = i0; i < i1; i++) {
            int ai = i * k;
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                int w0 = j * k;
                int w1 = w0 + k;
                int w2 = w1 + k;
                int w3 = w2 + k;
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S);
                FloatVector s3 = FloatVector.zero(S);
                int p = 0;
                for (; p < kv; p += L) {
                    FloatVector av = FloatVector.fromArray(S, a, ai + p);
                    s0 = av.fma(FloatVector.fromArray(S, wd, w0 + p), s0);
                    s1 = av.fma(FloatVector.fromArray(S, wd, w1 + p), s1);
                    s2 = av.fma(FloatVector.fromArray(S, wd, w2 + p), s2);
                    s3 = av.fma(FloatVector.fromArray(S, wd, w3 + p), s3);
                }
                float r0 = s0.reduceLanes(VectorOperators.ADD);
                float r1 = s1.reduceLanes(VectorOperators.ADD);
                float r2 = s2.reduceLanes(VectorOperators.ADD);
                float r3 = s3.reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) {
                    float av = a[ai + p];
                    r0 += av * wd[w0 + p];
                    r1 += av * wd[w1 + p];
                    r2 += av * wd[w2 + p];
                    r3 += av * wd[w3 + p];
                }
                int ci = i * n + j;
                if (bias != null) {
                    r0 += bias[j];
                    r1 += bias[j + 1];
                    r2 += bias[j + 2];
                    r3 += bias[j + 3];
                }
                c[ci] = r0;
                c[ci + 1] = r1;
                c[ci + 2] = r2;
                c[ci + 3] = r3;
            }
            for (; j < j1; j++) {
                float s = dot(a, ai, wd, j * k, k);
                c[i * n + j] = bias == null ? s : s + bias[j];
            }
        }
    }

    @Override
    public void addLayerNorm(float[] x, float[] residual, int m, int n, float[] gamma, float[] beta, float eps,
            ComputePool pool) {
        scalar.addLayerNorm(x, residual, m, n, gamma, beta, eps, pool);
    }

    @Override
    public void gatedActivation(float[] in, int m, int n, Activation act, float[] out, ComputePool pool) {
        scalar.gatedActivation(in, m, n, act, out, pool);
    }

    @Override
    public void activate(float[] x, int len, Activation act, ComputePool pool) {
        scalar.activate(x, len, act, pool);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        int i = 0;
        float s = 0;
        if (len >= L) {
            FloatVector acc = FloatVector.zero(S);
            int bound = S.loopBound(len);
            for (; i < bound; i += L) {
                acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        FloatVector av = FloatVector.broadcast(S, alpha);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(av, FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public float expAndSum(float[] x, int off, int len, float max) {
        return scalar.expAndSum(x, off, len, max);
    }
}
