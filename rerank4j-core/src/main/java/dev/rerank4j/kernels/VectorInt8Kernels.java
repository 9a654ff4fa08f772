package dev.rerank4j.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8 kernels on the Vector API: each 8-byte run of a panel row is loaded and sign-extended to eight int lanes
 * in one step ({@code B2I}, vpmovsxbd on x86), multiplied by a broadcast activation and added, four rows by
 * sixteen outputs per block. The Vector API has no widening pairwise multiply-add (vpmaddwd, VNNI's vpdpbusd),
 * so this runs 8 products per multiply instruction where fp32 FMA runs 8 per instruction too.
 */
public final class VectorInt8Kernels extends AbstractInt8Kernels {
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;

    @Override
    public String name() {
        return "vector int8 (" + I256.vectorBitSize() + "-bit int lanes, B2I widening)";
    }

    @Override
    void activate(Activation act, float[] x, int off, int len) {
        VectorMath.activate(act, x, off, len);
    }

    @Override
    void sums(byte[] q, int row0, int nr, QuantizedMatrix w, int panel, int[] out) {
        if (nr < MR) {
            tail(q, row0, nr, w, panel, out);
            return;
        }
        int k = w.cols;
        byte[] d = w.data;
        int base = panel * k * NR;
        int a0 = row0 * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        IntVector c00 = IntVector.zero(I256);
        IntVector c01 = c00;
        IntVector c10 = c00;
        IntVector c11 = c00;
        IntVector c20 = c00;
        IntVector c21 = c00;
        IntVector c30 = c00;
        IntVector c31 = c00;
        for (int kk = 0; kk < k; kk++) {
            int o = base + kk * NR;
            IntVector w0 = (IntVector) ByteVector.fromArray(B64, d, o).convertShape(VectorOperators.B2I, I256, 0);
            IntVector w1 = (IntVector) ByteVector.fromArray(B64, d, o + 8).convertShape(VectorOperators.B2I, I256, 0);
            int x0 = q[a0 + kk] & 0xff;
            int x1 = q[a1 + kk] & 0xff;
            int x2 = q[a2 + kk] & 0xff;
            int x3 = q[a3 + kk] & 0xff;
            c00 = c00.add(w0.mul(x0));
            c01 = c01.add(w1.mul(x0));
            c10 = c10.add(w0.mul(x1));
            c11 = c11.add(w1.mul(x1));
            c20 = c20.add(w0.mul(x2));
            c21 = c21.add(w1.mul(x2));
            c30 = c30.add(w0.mul(x3));
            c31 = c31.add(w1.mul(x3));
        }
        c00.intoArray(out, 0);
        c01.intoArray(out, 8);
        c10.intoArray(out, NR);
        c11.intoArray(out, NR + 8);
        c20.intoArray(out, 2 * NR);
        c21.intoArray(out, 2 * NR + 8);
        c30.intoArray(out, 3 * NR);
        c31.intoArray(out, 3 * NR + 8);
    }

    /** The last rows of a matrix whose height is not a multiple of four: one row at a time. */
    private static void tail(byte[] q, int row0, int nr, QuantizedMatrix w, int panel, int[] out) {
        int k = w.cols;
        byte[] d = w.data;
        int base = panel * k * NR;
        for (int r = 0; r < nr; r++) {
            int a = (row0 + r) * k;
            IntVector c0 = IntVector.zero(I256);
            IntVector c1 = c0;
            for (int kk = 0; kk < k; kk++) {
                int o = base + kk * NR;
                int x = q[a + kk] & 0xff;
                c0 = c0.add(((IntVector) ByteVector.fromArray(B64, d, o).convertShape(VectorOperators.B2I, I256, 0)).mul(x));
                c1 = c1.add(((IntVector) ByteVector.fromArray(B64, d, o + 8).convertShape(VectorOperators.B2I, I256, 0)).mul(x));
            }
            c0.intoArray(out, r * NR);
            c1.intoArray(out, r * NR + 8);
        }
    }
}
