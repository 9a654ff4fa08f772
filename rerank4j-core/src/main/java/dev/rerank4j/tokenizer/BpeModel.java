package dev.rerank4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Byte-pair encoding: start from characters, repeatedly apply the lowest-ranked merge (leftmost first), with the
 * same queue discipline as Hugging Face's {@code Word::merge_all} so that ties resolve identically.
 */
final class BpeModel implements Model {
    private final Map<String, Integer> vocab;
    private final PairMap merges;
    /** Merge rank to the id of the token it produces. */
    private final int[] rankToNewId;
    private final String unkToken;
    private final String continuingSubwordPrefix;
    private final String endOfWordSuffix;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    /** Id of each single BMP character as a whole token, -1 if absent; used when no prefix/suffix applies. */
    private final int[] charIds;
    private final int[] byteFallbackIds;
    private final WordCache cache = new WordCache(100_000);

    record Config(String unkToken, String continuingSubwordPrefix, String endOfWordSuffix, boolean fuseUnk,
                  boolean byteFallback, boolean ignoreMerges) {
    }

    /** {@code merges} lists pairs of token strings in rank order. */
    BpeModel(Map<String, Integer> vocab, java.util.List<String[]> mergeList, Config config) {
        this.vocab = Map.copyOf(vocab);
        this.unkToken = config.unkToken();
        this.continuingSubwordPrefix = config.continuingSubwordPrefix() == null ? "" : config.continuingSubwordPrefix();
        this.endOfWordSuffix = config.endOfWordSuffix() == null ? "" : config.endOfWordSuffix();
        this.fuseUnk = config.fuseUnk();
        this.byteFallback = config.byteFallback();
        this.ignoreMerges = config.ignoreMerges();
        this.merges = new PairMap(mergeList.size());
        this.rankToNewId = new int[mergeList.size()];
        int prefixLen = continuingSubwordPrefix.length();
        // Later duplicates replace earlier ones, as when Hugging Face collects the merges into a map.
        for (int rank = 0; rank < mergeList.size(); rank++) {
            String[] m = mergeList.get(rank);
            Integer a = vocab.get(m[0]);
            Integer b = vocab.get(m[1]);
            if (a == null || b == null) {
                throw new IllegalArgumentException("merge " + (rank + 1) + " '" + m[0] + " " + m[1]
                        + "' uses a token missing from the vocabulary");
            }
            String right = prefixLen > 0 && m[1].startsWith(continuingSubwordPrefix) ? m[1].substring(prefixLen) : m[1];
            Integer merged = vocab.get(m[0] + right);
            if (merged == null) {
                throw new IllegalArgumentException("merge " + (rank + 1) + " produces '" + m[0] + right
                        + "', which is missing from the vocabulary");
            }
            rankToNewId[rank] = merged;
            merges.put(a, b, ((long) rank << 32) | merged);
        }
        charIds = new int[0x800];
        Arrays.fill(charIds, -1);
        for (int c = 0; c < charIds.length; c++) {
            Integer id = vocab.get(String.valueOf((char) c));
            if (id != null) {
                charIds[c] = id;
            }
        }
        byteFallbackIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.format("<0x%02X>", b));
            byteFallbackIds[b] = id == null ? -1 : id;
        }
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab;
    }

    @Override
    public void tokenize(String word, IntList out) {
        if (word.isEmpty()) {
            return;
        }
        if (ignoreMerges) {
            Integer whole = vocab.get(word);
            if (whole != null) {
                out.add(whole, 0, word.length());
                return;
            }
        }
        cache.tokenize(word, this::merge, out);
    }

    private int[] merge(String word) {
        // Byte fallback can turn one unit into several byte tokens (of the prefixed character).
        int n = byteFallback ? word.length() * (4 + 3 * (continuingSubwordPrefix.length() + endOfWordSuffix.length())) : word.length();
        int[] ids = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int count = initialSymbols(word, ids, starts, ends);
        int[] prev = new int[count];
        int[] next = new int[count];
        for (int i = 0; i < count; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
        }
        long[] heap = new long[Math.max(4, 3 * count)];
        int size = 0;
        for (int i = 0; i + 1 < count; i++) {
            long m = merges.get(ids[i], ids[i + 1]);
            if (m >= 0) {
                size = push(heap, size, (m & 0xFFFFFFFF00000000L) | i);
            }
        }
        while (size > 0) {
            long top = heap[0];
            size = pop(heap, size);
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            int right = next[pos];
            if (ends[pos] < 0 || right < 0) {
                continue;
            }
            long m = merges.get(ids[pos], ids[right]);
            // A stale entry still merges if the pair now there yields the same token, exactly as upstream.
            if (m < 0 || (int) m != rankToNewId[rank]) {
                continue;
            }
            ids[pos] = (int) m;
            ends[pos] = ends[right];
            ends[right] = -1;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) {
                prev[after] = pos;
            }
            if (heap.length < size + 2) {
                heap = Arrays.copyOf(heap, heap.length * 2);
            }
            int before = prev[pos];
            if (before >= 0) {
                long l = merges.get(ids[before], ids[pos]);
                if (l >= 0) {
                    size = push(heap, size, (l & 0xFFFFFFFF00000000L) | before);
                }
            }
            if (after >= 0) {
                long r = merges.get(ids[pos], ids[after]);
                if (r >= 0) {
                    size = push(heap, size, (r & 0xFFFFFFFF00000000L) | pos);
                }
            }
        }
        IntList result = new IntList(count * 3);
        for (int i = 0; i >= 0 && count > 0; i = next[i]) {
            result.add(ids[i], starts[i], ends[i]);
        }
        return result.toArray();
    }

    /** Maps each character to its token (or byte-fallback tokens, or unknown); returns the symbol count. */
    private int initialSymbols(String word, int[] ids, int[] starts, int[] ends) {
        boolean plain = continuingSubwordPrefix.isEmpty() && endOfWordSuffix.isEmpty();
        int count = 0;
        int unkId = -1;
        int pendingUnkStart = -1;
        int pendingUnkEnd = -1;
        int n = word.length();
        for (int i = 0; i < n; ) {
            int cp = word.codePointAt(i);
            int next = i + Character.charCount(cp);
            int id;
            if (plain && cp < charIds.length) {
                id = charIds[cp];
            } else {
                String s = word.substring(i, next);
                if (i > 0) {
                    s = continuingSubwordPrefix + s;
                }
                if (next == n) {
                    s = s + endOfWordSuffix;
                }
                Integer boxed = vocab.get(s);
                id = boxed == null ? -1 : boxed;
                if (id < 0 && byteFallback) {
                    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                    boolean all = true;
                    for (byte b : bytes) {
                        all &= byteFallbackIds[b & 0xFF] >= 0;
                    }
                    if (all) {
                        if (pendingUnkStart >= 0) {
                            count = addSymbol(ids, starts, ends, count, unkId, pendingUnkStart, pendingUnkEnd);
                            pendingUnkStart = -1;
                        }
                        for (byte b : bytes) {
                            count = addSymbol(ids, starts, ends, count, byteFallbackIds[b & 0xFF], i, next);
                        }
                        i = next;
                        continue;
                    }
                }
            }
            if (id >= 0) {
                if (pendingUnkStart >= 0) {
                    count = addSymbol(ids, starts, ends, count, unkId, pendingUnkStart, pendingUnkEnd);
                    pendingUnkStart = -1;
                }
                count = addSymbol(ids, starts, ends, count, id, i, next);
            } else if (unkToken != null) {
                unkId = unkId();
                if (pendingUnkStart >= 0 && fuseUnk) {
                    pendingUnkEnd = next;
                } else {
                    if (pendingUnkStart >= 0) {
                        count = addSymbol(ids, starts, ends, count, unkId, pendingUnkStart, pendingUnkEnd);
                    }
                    pendingUnkStart = i;
                    pendingUnkEnd = next;
                }
            }
            i = next;
        }
        if (pendingUnkStart >= 0) {
            count = addSymbol(ids, starts, ends, count, unkId, pendingUnkStart, pendingUnkEnd);
        }
        return count;
    }

    private int unkId() {
        Integer id = vocab.get(unkToken);
        if (id == null) {
            throw new IllegalStateException("unk_token '" + unkToken + "' is not in the vocabulary");
        }
        return id;
    }

    private int addSymbol(int[] ids, int[] starts, int[] ends, int count, int id, int s, int e) {
        if (count == ids.length) {
            throw new IllegalStateException("more symbols than units");
        }
        ids[count] = id;
        starts[count] = s;
        ends[count] = e;
        return count + 1;
    }

    private static int push(long[] heap, int size, long v) {
        int i = size;
        heap[i] = v;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
        return size + 1;
    }

    private static int pop(long[] heap, int size) {
        int last = size - 1;
        long v = heap[last];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= last) {
                break;
            }
            if (child + 1 < last && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= v) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = v;
        return last;
    }
}
