package dev.rerank4j.kernels;

/** The reference int8 kernels: plain loops over the packed panels, the activation by its reference definition. */
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
    void preparePanel(QuantizedMatrix w, int panel) {
    }

    @Override
    void tile(QuantizedRows qa, int row0, int nr, QuantizedMatrix w, int panel, float[] bias, int[] sums,
            float[] out) {
        int k = w.cols;
        int base = panel * k * NR;
        for (int r = 0; r < nr; r++) {
            int a0 = (row0 + r) * k;
            for (int j = 0; j < NR; j++) {
                int s = 0;
                for (int kk = 0; kk < k; kk++) {
                    s += (int) qa.q[a0 + kk] * w.data[base + kk * NR + j];
                }
                sums[r * NR + j] = s;
            }
        }
        epilogue(qa, row0, nr, w, panel, sums, bias, out);
    }
}
