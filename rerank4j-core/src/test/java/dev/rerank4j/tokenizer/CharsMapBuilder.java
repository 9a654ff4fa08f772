package dev.rerank4j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a SentencePiece {@code precompiled_charsmap}: a little-endian trie size, a darts-clone double array over
 * the UTF-8 bytes of the keys (each leaf's value is an offset into the blob), then the NUL-terminated replacements.
 * Test-only: lets a test make a Unigram tokenizer.json from rules it states itself.
 */
final class CharsMapBuilder {
    private final TreeMap<String, String> rules = new TreeMap<>();

    CharsMapBuilder put(String key, String replacement) {
        rules.put(key, replacement);
        return this;
    }

    int size() {
        return rules.size();
    }

    byte[] build() {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        Map<String, Integer> offsets = new TreeMap<>();
        Node root = new Node();
        for (Map.Entry<String, String> e : rules.entrySet()) {
            Integer at = offsets.get(e.getValue());
            if (at == null) {
                at = blob.size();
                offsets.put(e.getValue(), at);
                blob.writeBytes(e.getValue().getBytes(StandardCharsets.UTF_8));
                blob.write(0);
            }
            Node n = root;
            for (byte b : e.getKey().getBytes(StandardCharsets.UTF_8)) {
                n = n.children.computeIfAbsent(b & 0xFF, k -> new Node());
            }
            n.value = at;
        }
        int[] units = place(root);
        ByteBuffer out = ByteBuffer.allocate(4 + 4 * units.length + blob.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(4 * units.length);
        for (int u : units) {
            out.putInt(u);
        }
        out.put(blob.toByteArray());
        return out.array();
    }

    private static final class Node {
        final TreeMap<Integer, Node> children = new TreeMap<>();
        int value = -1;
    }

    /**
     * Lays the trie out so that from a node at {@code p} with unit offset {@code o}, the child for byte c sits at
     * {@code p ^ o ^ c} and a value at {@code p ^ o}. Children blocks are 256-aligned, so {@code p ^ o} is a block base.
     */
    private static int[] place(Node root) {
        boolean[] used = new boolean[1024];
        int[] array = new int[1024];
        used[0] = true;
        // Two nodes must never share a base: a lookup for a missing child would land on the other node's child.
        java.util.Set<Integer> bases = new java.util.HashSet<>();
        record Pending(Node node, int pos, int label) {
        }
        List<Pending> queue = new ArrayList<>();
        queue.add(new Pending(root, 0, 0));
        for (int qi = 0; qi < queue.size(); qi++) {
            Pending p = queue.get(qi);
            Node node = p.node();
            boolean hasLeaf = node.value >= 0;
            int base = 256;
            while (bases.contains(base) || !fits(used, base, node, hasLeaf)) {
                base += 256;
            }
            bases.add(base);
            if (base + 256 > used.length) {
                int size = Math.max(base + 256, used.length * 2);
                used = Arrays.copyOf(used, size);
                array = Arrays.copyOf(array, size);
            }
            if (hasLeaf) {
                used[base] = true;
                array[base] = node.value | 0x80000000;
            }
            for (int c : node.children.keySet()) {
                used[base ^ c] = true;
            }
            int offset = p.pos() ^ base;
            if (offset >= (1 << 21)) {
                throw new IllegalStateException("trie too large for small offsets");
            }
            array[p.pos()] = (offset << 10) | (hasLeaf ? 1 << 8 : 0) | p.label();
            for (Map.Entry<Integer, Node> e : node.children.entrySet()) {
                queue.add(new Pending(e.getValue(), base ^ e.getKey(), e.getKey()));
            }
        }
        int last = array.length - 1;
        while (last > 0 && !used[last]) {
            last--;
        }
        return Arrays.copyOf(array, last + 1);
    }

    private static boolean fits(boolean[] used, int base, Node node, boolean hasLeaf) {
        if (base + 256 > used.length) {
            return true;
        }
        if (hasLeaf && used[base]) {
            return false;
        }
        for (int c : node.children.keySet()) {
            if (used[base ^ c]) {
                return false;
            }
        }
        return true;
    }
}
