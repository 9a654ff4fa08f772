package dev.rerank4j.kernels;

/** The reference int8 kernels: plain loops over the packed panels. */
public final class ScalarInt8Kernels extends AbstractInt8Kernels {

    @Override
    public String name() {
        return "scalar int8";
    }

    @Override
    void activate(Activation act, float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            x[i] = act.apply(x[i]);
        }
    }

    @Override
    void sums(byte[] q, int row0, int nr, QuantizedMatrix w, int panel, int[] out) {
        int k = w.cols;
        int base = panel * k * NR;
        for (int r = 0; r < nr; r++) {
            int a0 = (row0 + r) * k;
            for (int j = 0; j < NR; j++) {
                int s = 0;
                for (int kk = 0; kk < k; kk++) {
                    s += (q[a0 + kk] & 0xff) * w.data[base + kk * NR + j];
                }
                out[r * NR + j] = s;
            }
        }
    }
}
