package dev.rerank4j.model.decoder;

import dev.rerank4j.kernels.ComputePool;
import java.util.List;

/**
 * One layer's keys and values for every segment of a batch, cached prefix first, laid out for attention: keys
 * transposed per key-value head ({@code [headDim][stride]}, stride a whole number of vectors), values row-major
 * per head ({@code [positions][headDim]}). Memory is linear in the total length; the buffers are the workspace's,
 * reused by every layer of a forward pass and by the next pass. Lanes past a sequence's last key hold whatever an
 * earlier pass left: attention reads them but masks their scores.
 */
final class KeyValues {
    private final DecoderConfig cfg;
    private final List<Segment> batch;
    private final int[] stride;
    private final int[] keysBase;
    private final int[] valuesBase;
    private final float[] keysT;
    private final float[] values;

    KeyValues(DecoderConfig cfg, List<Segment> batch, int align, Workspace ws) {
        this.cfg = cfg;
        this.batch = batch;
        int n = batch.size();
        stride = new int[n];
        keysBase = new int[n];
        valuesBase = new int[n];
        long keys = 0;
        long vals = 0;
        for (int s = 0; s < n; s++) {
            int positions = batch.get(s).positions();
            stride[s] = Math.ceilDiv(positions, align) * align;
            keysBase[s] = Math.toIntExact(keys);
            valuesBase[s] = Math.toIntExact(vals);
            keys += (long) stride[s] * cfg.kvDim();
            vals += (long) positions * cfg.kvDim();
        }
        keysT = ws.keysT(Math.toIntExact(keys));
        values = ws.values(Math.toIntExact(vals));
    }

    float[] keysT() {
        return keysT;
    }

    float[] values() {
        return values;
    }

    int stride(int s) {
        return stride[s];
    }

    int keysAt(int s, int kvHead) {
        return keysBase[s] + kvHead * cfg.headDim() * stride[s];
    }

    int valuesAt(int s, int kvHead) {
        return valuesBase[s] + kvHead * batch.get(s).positions() * cfg.headDim();
    }

    /** Lays out each segment's cached rows of layer l. */
    void fillPast(int layer, ComputePool pool) {
        int kvDim = cfg.kvDim();
        pool.forRange(batch.size(), 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                KvCache past = batch.get(s).past();
                for (int j = 0; j < past.length(); j++) {
                    put(s, j, past.keys()[layer], j * kvDim, past.values()[layer], j * kvDim);
                }
            }
        });
    }

    /**
     * Lays out layer l's keys and values of rows [r0, r1), whose q/k/v are {@code qkv}'s rows from 0; when
     * {@code keep} is given (a single-segment prefill), they are also stored into it.
     */
    void fill(int layer, float[] qkv, int r0, int r1, int[] rowSeg, int[] rowStart, KvCache keep, ComputePool pool) {
        int kvDim = cfg.kvDim();
        int qkvW = cfg.qDim() + 2 * kvDim;
        int kAt = cfg.qDim();
        int vAt = cfg.qDim() + kvDim;
        pool.forRange(r1 - r0, 16, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int r = r0 + i;
                int s = rowSeg[r];
                int row = i * qkvW;
                int at = r - rowStart[s];
                put(s, batch.get(s).past().length() + at, qkv, row + kAt, qkv, row + vAt);
                if (keep != null) {
                    System.arraycopy(qkv, row + kAt, keep.keys()[layer], at * kvDim, kvDim);
                    System.arraycopy(qkv, row + vAt, keep.values()[layer], at * kvDim, kvDim);
                }
            }
        });
    }

    private void put(int s, int position, float[] k, int kOff, float[] v, int vOff) {
        int hd = cfg.headDim();
        for (int g = 0; g < cfg.numKvHeads(); g++) {
            int kt = keysAt(s, g) + position;
            for (int d = 0; d < hd; d++) {
                keysT[kt + d * stride[s]] = k[kOff + g * hd + d];
            }
            System.arraycopy(v, vOff + g * hd, values, valuesAt(s, g) + position * hd, hd);
        }
    }
}
