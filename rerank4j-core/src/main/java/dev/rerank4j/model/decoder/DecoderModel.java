package dev.rerank4j.model.decoder;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.RerankException;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.DecoderKernels;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Architecture;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.PairFormat;
import dev.rerank4j.model.Pooling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Qwen3 decoder (modeling_qwen3.py, eager attention): token embeddings; per layer x += o(attn(RMSNorm(x)))
 * and x += down(silu(gate(h)) * up(h)) with h = RMSNorm(x); final RMSNorm; the kept output rows at each
 * sequence's last position only. Attention: q/k RMS-normalised per head, then rotary embeddings, grouped-query
 * and causal. Sequences run together without padding; a sequence may continue a cached prefix, which gives the
 * same bits as running the whole sequence (every row's arithmetic depends only on its own row and its keys).
 * Immutable after loading but for its pool of reused buffers: one instance serves any number of threads.
 */
public final class DecoderModel implements Model {
    private final Path directory;
    private final DecoderConfig cfg;
    private final DecoderWeights w;
    private final Kernels base;
    private final DecoderKernels k;
    private final Rope rope;
    private final PairFormat format;
    private final Workspace.Pool workspaces;

    private DecoderModel(Path directory, DecoderConfig cfg, DecoderWeights w, Kernels base) {
        this.directory = directory;
        this.cfg = cfg;
        this.w = w;
        this.base = base;
        this.k = DecoderKernels.forKernels(base);
        this.rope = new Rope(cfg.headDim(), cfg.ropeTheta());
        this.format = cfg.pairFormat();
        this.workspaces = new Workspace.Pool(cfg);
    }

    /**
     * Loads a Qwen3 directory, keeping of the output layer only {@code outputRows} (token ids) for a causal LM;
     * a sequence-classification checkpoint keeps its one-row score head and ignores them.
     */
    static DecoderModel load(Path dir, DecoderConfig cfg, Kernels kernels, int[] outputRows) {
        if (!Files.exists(dir.resolve("model.safetensors")) && !Files.exists(dir.resolve("model.safetensors.index.json"))) {
            throw new ModelFormatException(dir, "no weights found: a Qwen3 model needs model.safetensors "
                    + "or model.safetensors.index.json");
        }
        return new DecoderModel(dir, cfg, DecoderWeights.load(dir, cfg, outputRows, DecoderKernels.forKernels(kernels)),
                kernels);
    }

    @Override
    public Path directory() {
        return directory;
    }

    public DecoderConfig config() {
        return cfg;
    }

    @Override
    public Architecture architecture() {
        return cfg.architecture();
    }

    @Override
    public int maxPositions() {
        return cfg.maxPositions();
    }

    @Override
    public int hiddenSize() {
        return cfg.hiddenSize();
    }

    /** One relevance logit per pair: logit("yes") - logit("no"), or the score head's output. */
    @Override
    public int numLabels() {
        return 1;
    }

    @Override
    public Pooling pooling() {
        return null;
    }

    @Override
    public PairFormat pairFormat() {
        return format;
    }

    @Override
    public Kernels kernels() {
        return base;
    }

    public String kernelsName() {
        return k.name();
    }

    @Override
    public float[] hiddenStates(Batch batch, ComputePool pool) {
        throw new UnsupportedOperationException("a decoder reranker computes its last position's output rows only");
    }

    /**
     * The relevance logit of each sequence. The batch's common token prefix (the system prompt, and for the
     * documents of one query the instruction and query too) is run once and its keys and values reused by every
     * sequence: the same bits as running each sequence whole.
     */
    @Override
    public float[] logits(Batch batch, ComputePool pool) {
        int n = batch.size();
        int[][] ids = new int[n][];
        for (int s = 0; s < n; s++) {
            ids[s] = Arrays.copyOfRange(batch.ids(), batch.start(s), batch.start(s) + batch.length(s));
        }
        int cut = n > 1 ? sharedPrefix(ids) : 0;
        KvCache past = cut > 0 ? prefill(Arrays.copyOf(ids[0], cut), pool) : KvCache.empty();
        List<Segment> segments = new ArrayList<>(n);
        for (int[] seq : ids) {
            segments.add(new Segment(past, Arrays.copyOfRange(seq, cut, seq.length)));
        }
        float[] out = lastLogits(segments, pool);
        int per = outputs();
        float[] logits = new float[n];
        for (int s = 0; s < n; s++) {
            logits[s] = per == 2 ? out[2 * s] - out[2 * s + 1] : out[s];
        }
        return logits;
    }

    /** The longest common prefix of the sequences, leaving each at least its last token to compute. */
    static int sharedPrefix(int[][] ids) {
        int cut = ids[0].length - 1;
        for (int[] other : ids) {
            int limit = Math.min(cut, other.length - 1);
            int j = 0;
            while (j < limit && other[j] == ids[0][j]) {
                j++;
            }
            cut = j;
        }
        return cut;
    }

    /** Values per sequence from {@link #lastLogits}: the kept rows, or 1 for a score head. */
    public int outputs() {
        return w.head().length;
    }

    /** The output rows at each segment's last position, [segments, outputs] row-major. */
    public float[] lastLogits(List<Segment> batch, ComputePool pool) {
        return run(batch, null, pool);
    }

    /** Runs a prompt prefix and keeps its keys and values for {@link Segment}s that continue it. */
    public KvCache prefill(int[] ids, ComputePool pool) {
        KvCache cache = new KvCache(ids.length, new float[cfg.numLayers()][ids.length * cfg.kvDim()],
                new float[cfg.numLayers()][ids.length * cfg.kvDim()]);
        run(List.of(Segment.whole(ids)), cache, pool);
        return cache;
    }

    private float[] run(List<Segment> batch, KvCache keep, ComputePool pool) {
        int n = batch.size();
        int[] rowStart = new int[n + 1];
        for (int s = 0; s < n; s++) {
            Segment seg = batch.get(s);
            if (seg.positions() > cfg.maxPositions()) {
                throw new RerankException("sequence of " + seg.positions() + " tokens exceeds the model's "
                        + cfg.maxPositions() + " positions; truncate it");
            }
            rowStart[s + 1] = rowStart[s] + seg.ids().length;
        }
        int t = rowStart[n];
        int[] rowSeg = new int[t];
        int[] position = new int[t];
        for (int s = 0; s < n; s++) {
            for (int r = rowStart[s]; r < rowStart[s + 1]; r++) {
                rowSeg[r] = s;
                position[r] = batch.get(s).past().length() + r - rowStart[s];
            }
        }
        int h = cfg.hiddenSize();
        Rope.Table angles = rope.table(position);
        Workspace ws = workspaces.take();
        try {
            float[] x = ws.x(t * h);
            embed(batch, rowStart, x, pool);
            KeyValues kv = new KeyValues(cfg, batch, k.keyAlignment(), ws);
            for (int l = 0; l < cfg.numLayers(); l++) {
                DecoderWeights.Layer layer = w.layers().get(l);
                kv.fillPast(l, pool);
                // Row chunks in order: a chunk's rows attend to keys of earlier chunks and of their own only.
                for (int r0 = 0; r0 < t; r0 += Workspace.CHUNK) {
                    int r1 = Math.min(t, r0 + Workspace.CHUNK);
                    layerRows(layer, l, x, r0, r1, ws, kv, angles, rowSeg, rowStart, position, keep, pool);
                }
            }
            return head(x, rowStart);
        } finally {
            workspaces.give(ws);
        }
    }

    /** One layer for rows [r0, r1) of the batch: attention then the MLP, each added to the residual stream x. */
    private void layerRows(DecoderWeights.Layer layer, int l, float[] x, int r0, int r1, Workspace ws, KeyValues kv,
            Rope.Table angles, int[] rowSeg, int[] rowStart, int[] position, KvCache keep, ComputePool pool) {
        int h = cfg.hiddenSize();
        int m = r1 - r0;
        int qkvW = cfg.qDim() + 2 * cfg.kvDim();
        float[] qkv = ws.qkv;
        Norms.rms(x, r0 * h, ws.normed, m, h, layer.inputNorm(), cfg.rmsNormEps(), pool);
        k.matmul(ws.normed, m, layer.qkv(), qkv, pool);
        pool.forRange(m, 8, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                normRotate(qkv, i * qkvW, cfg.numHeads(), layer.qNorm(), angles, r0 + i);
                normRotate(qkv, i * qkvW + cfg.qDim(), cfg.numKvHeads(), layer.kNorm(), angles, r0 + i);
            }
        });
        kv.fill(l, qkv, r0, r1, rowSeg, rowStart, keep, pool);
        attend(qkv, kv, rowSeg, position, ws.context, r0, m, pool);
        k.matmul(ws.context, m, layer.o(), ws.delta, pool);
        add(x, r0 * h, ws.delta, m * h);
        Norms.rms(x, r0 * h, ws.normed, m, h, layer.postNorm(), cfg.rmsNormEps(), pool);
        k.matmul(ws.normed, m, layer.gateUp(), ws.gateUp, pool);
        k.siluMul(ws.gateUp, m, cfg.intermediateSize(), ws.act, pool);
        k.matmul(ws.act, m, layer.down(), ws.delta, pool);
        add(x, r0 * h, ws.delta, m * h);
    }

    private void embed(List<Segment> batch, int[] rowStart, float[] x, ComputePool pool) {
        int h = cfg.hiddenSize();
        int vocab = w.embeddings().rows();
        pool.forRange(batch.size(), 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                int[] ids = batch.get(s).ids();
                for (int i = 0; i < ids.length; i++) {
                    if (ids[i] < 0 || ids[i] >= vocab) {
                        throw new RerankException("token id " + ids[i] + " is outside the vocabulary (size "
                                + vocab + ")");
                    }
                    w.embeddings().row(ids[i], x, (rowStart[s] + i) * h);
                }
            }
        });
    }

    /** Per-head RMSNorm then rotary embedding, in place, for the heads starting at {@code off}. */
    private void normRotate(float[] a, int off, int heads, float[] weight, Rope.Table angles, int row) {
        int hd = cfg.headDim();
        for (int head = 0; head < heads; head++) {
            int o = off + head * hd;
            Norms.rmsRow(a, o, a, o, hd, weight, cfg.rmsNormEps());
            angles.rotate(a, o, row);
        }
    }

    /**
     * Attention of rows [r0, r0 + m), whose q/k/v are qkv's rows from 0, into ctx's rows from 0: runs of up to
     * {@link DecoderKernels#attentionRows} consecutive rows of one segment, each with the query heads of one
     * key-value head, as the parallel tasks.
     */
    private void attend(float[] qkv, KeyValues kv, int[] rowSeg, int[] position, float[] ctx, int r0, int m,
            ComputePool pool) {
        int kvHeads = cfg.numKvHeads();
        int hd = cfg.headDim();
        int group = cfg.numHeads() / kvHeads;
        int qkvW = cfg.qDim() + 2 * cfg.kvDim();
        int qDim = cfg.qDim();
        float scale = (float) (1 / Math.sqrt(hd));
        int per = k.attentionRows();
        int[] runs = new int[m + 1];
        int count = 0;
        for (int i = 0; i < m; count++) {
            runs[count] = i;
            int s = rowSeg[r0 + i];
            int end = Math.min(m, i + per);
            do {
                i++;
            } while (i < end && rowSeg[r0 + i] == s);
        }
        runs[count] = m;
        int blocks = count;
        pool.forRange(blocks * kvHeads, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int b = t / kvHeads;
                int g = t % kvHeads;
                int i = runs[b];
                int s = rowSeg[r0 + i];
                k.attendCausal(qkv, i * qkvW + g * group * hd, qkvW, runs[b + 1] - i, group, position[r0 + i],
                        kv.keysT(), kv.keysAt(s, g), kv.stride(s), kv.values(), kv.valuesAt(s, g), hd, scale, ctx,
                        i * qDim + g * group * hd, qDim);
            }
        });
    }

    private static void add(float[] x, int off, float[] delta, int n) {
        for (int i = 0; i < n; i++) {
            x[off + i] += delta[i];
        }
    }

    /** Final norm and the kept output rows, at each segment's last row only; dot products in double. */
    private float[] head(float[] x, int[] rowStart) {
        int h = cfg.hiddenSize();
        int n = rowStart.length - 1;
        float[][] rows = w.head();
        float[] last = new float[h];
        float[] out = new float[n * rows.length];
        for (int s = 0; s < n; s++) {
            Norms.rmsRow(x, (rowStart[s + 1] - 1) * h, last, 0, h, w.finalNorm(), cfg.rmsNormEps());
            for (int o = 0; o < rows.length; o++) {
                double dot = 0;
                for (int j = 0; j < h; j++) {
                    dot += (double) rows[o][j] * last[j];
                }
                out[s * rows.length + o] = (float) dot;
            }
        }
        return out;
    }
}
