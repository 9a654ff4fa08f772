package dev.rerank4j.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SentencePiece Unigram: the segmentation with the highest total piece score (Viterbi), unknown characters
 * scored {@code min_score - 10} and runs of them fused, exactly as Hugging Face's {@code encode_optimized}.
 */
final class UnigramModel implements Model {
    private static final double UNK_PENALTY = 10.0;

    private final double[] scores;
    private final Map<String, Integer> vocab;
    private final int unkId;
    private final boolean byteFallback;
    private final double unkScore;
    private final int[] byteFallbackIds;
    /** Trie over UTF-16 units: (node, unit) to child node; terminal[node] is the piece id or -1. */
    private final PairMap children;
    private final int[] terminal;
    private final WordCache cache = new WordCache(100_000);

    UnigramModel(List<String> pieces, double[] scores, int unkId, boolean byteFallback) {
        if (pieces.isEmpty() && unkId >= 0) {
            throw new IllegalArgumentException("the Unigram vocabulary is empty");
        }
        this.scores = scores.clone();
        this.unkId = unkId;
        this.byteFallback = byteFallback;
        Map<String, Integer> ids = new HashMap<>(pieces.size() * 2);
        double min = Double.POSITIVE_INFINITY;
        for (int id = 0; id < pieces.size(); id++) {
            ids.put(pieces.get(id), id);
            min = Math.min(min, scores[id]);
        }
        this.vocab = Map.copyOf(ids);
        this.unkScore = min - UNK_PENALTY;
        int nodeCount = trieNodeCount(ids.keySet());
        this.children = new PairMap(nodeCount);
        int[] term = new int[nodeCount];
        Arrays.fill(term, -1);
        int nodes = 1;
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            String p = e.getKey();
            int node = 0;
            for (int i = 0; i < p.length(); i++) {
                long child = children.get(node, p.charAt(i));
                if (child < 0) {
                    children.put(node, p.charAt(i), nodes);
                    node = nodes++;
                } else {
                    node = (int) child;
                }
            }
            term[node] = e.getValue();
        }
        this.terminal = term;
        this.byteFallbackIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(String.format("<0x%02X>", b));
            byteFallbackIds[b] = id == null ? -1 : id;
        }
    }

    /** Nodes of the trie over these strings (root included): each string adds what it does not share. */
    private static int trieNodeCount(java.util.Set<String> strings) {
        String[] sorted = strings.toArray(String[]::new);
        Arrays.sort(sorted);
        int nodes = 1;
        String prev = "";
        for (String s : sorted) {
            int common = 0;
            int limit = Math.min(prev.length(), s.length());
            while (common < limit && prev.charAt(common) == s.charAt(common)) {
                common++;
            }
            nodes += s.length() - common;
            prev = s;
        }
        return nodes;
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab;
    }

    @Override
    public void tokenize(String word, IntList out) {
        if (!word.isEmpty()) {
            cache.tokenize(word, this::encode, out);
        }
    }

    private int[] encode(String s) {
        int n = s.length();
        double[] best = new double[n + 1];
        int[] from = new int[n + 1];
        int[] id = new int[n + 1];
        Arrays.fill(from, -1);
        for (int start = 0; start < n; ) {
            double here = best[start];
            int charLen = Character.charCount(s.codePointAt(start));
            boolean singleChar = false;
            int node = 0;
            for (int j = start; j < n; j++) {
                long child = children.get(node, s.charAt(j));
                if (child < 0) {
                    break;
                }
                node = (int) child;
                int piece = terminal[node];
                if (piece >= 0) {
                    int end = j + 1;
                    double candidate = scores[piece] + here;
                    if (from[end] < 0 || candidate > best[end]) {
                        best[end] = candidate;
                        from[end] = start;
                        id[end] = piece;
                    }
                    singleChar |= end - start == charLen;
                }
            }
            if (!singleChar) {
                if (unkId < 0) {
                    throw new IllegalStateException("'" + s + "' has a character outside the vocabulary and the "
                            + "Unigram model has no unk_id");
                }
                int end = start + charLen;
                double candidate = unkScore + here;
                if (from[end] < 0 || candidate > best[end]) {
                    best[end] = candidate;
                    from[end] = start;
                    id[end] = unkId;
                }
            }
            start += charLen;
        }
        // Walk back from the end; consecutive unknown pieces become one string.
        IntList reversed = new IntList(16);
        int end = n;
        int unkEnd = -1;
        while (end > 0) {
            int start = from[end];
            if (unkId >= 0 && id[end] == unkId) {
                if (unkEnd < 0) {
                    unkEnd = end;
                }
            } else {
                if (unkEnd >= 0) {
                    reversed.add(-1, end, unkEnd);
                    unkEnd = -1;
                }
                reversed.add(id[end], start, end);
            }
            end = start;
        }
        if (unkEnd >= 0) {
            reversed.add(-1, 0, unkEnd);
        }
        IntList result = new IntList(reversed.size());
        for (int k = reversed.size() - 3; k >= 0; k -= 3) {
            int piece = reversed.get(k);
            int s0 = reversed.get(k + 1);
            int e0 = reversed.get(k + 2);
            if (piece >= 0) {
                result.add(piece, s0, e0);
            } else {
                addUnknown(s.substring(s0, e0), s0, e0, result);
            }
        }
        return result.toArray();
    }

    /** A fused run of unknown characters: itself if it happens to be a piece, else bytes, else unk. */
    private void addUnknown(String run, int s, int e, IntList result) {
        Integer known = vocab.get(run);
        if (known != null) {
            result.add(known, s, e);
            return;
        }
        if (byteFallback) {
            byte[] bytes = run.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            boolean all = true;
            for (byte b : bytes) {
                all &= byteFallbackIds[b & 0xFF] >= 0;
            }
            if (all) {
                for (byte b : bytes) {
                    result.add(byteFallbackIds[b & 0xFF], s, e);
                }
                return;
            }
        }
        result.add(unkId, s, e);
    }
}
