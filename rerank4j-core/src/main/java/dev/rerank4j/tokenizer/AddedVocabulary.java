package dev.rerank4j.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text: leftmost match first, longest at that position, honouring single_word, lstrip and
 * rstrip as Hugging Face's {@code AddedVocabulary::find_matches} does.
 */
final class AddedVocabulary {
    private final Matcher raw;
    private final Matcher normalized;

    AddedVocabulary(List<AddedToken> tokens, TextNormalizer normalizer) {
        Map<String, AddedToken> rawPatterns = new HashMap<>();
        Map<String, AddedToken> normalizedPatterns = new HashMap<>();
        for (AddedToken t : tokens) {
            if (t.content().isEmpty()) {
                continue;
            }
            if (t.normalized()) {
                String pattern = normalizer == null ? t.content()
                        : normalizer.normalize(Normalized.of(t.content())).text;
                normalizedPatterns.put(pattern, t);
            } else {
                rawPatterns.put(t.content(), t);
            }
        }
        this.raw = rawPatterns.isEmpty() ? null : new Matcher(rawPatterns);
        this.normalized = normalizedPatterns.isEmpty() ? null : new Matcher(normalizedPatterns);
    }

    /** Splits text in the raw input: appends {@code start, end, id-or-minus-1} triples tiling the text. */
    void splitRaw(String text, IntList out) {
        split(raw, text, out);
    }

    /** Same, for tokens matched after normalization. */
    void splitNormalized(String text, IntList out) {
        split(normalized, text, out);
    }

    private static void split(Matcher m, String text, IntList out) {
        out.clear();
        if (m == null) {
            out.add(0, text.length(), -1);
            return;
        }
        m.split(text, out);
    }

    /** A trie over the patterns' UTF-16 units. */
    private static final class Matcher {
        private final Node root = new Node();
        private final boolean[] firstUnit = new boolean[65536];

        Matcher(Map<String, AddedToken> patterns) {
            patterns.forEach((p, t) -> {
                Node node = root;
                for (int i = 0; i < p.length(); i++) {
                    node = node.children.computeIfAbsent(p.charAt(i), c -> new Node());
                }
                node.token = t;
                firstUnit[p.charAt(0)] = true;
            });
        }

        void split(String s, IntList out) {
            int n = s.length();
            int consumed = 0;
            int i = 0;
            while (i < n) {
                if (!firstUnit[s.charAt(i)]) {
                    i++;
                    continue;
                }
                Node node = root;
                AddedToken best = null;
                int bestEnd = -1;
                for (int j = i; j < n; j++) {
                    node = node.children.get(s.charAt(j));
                    if (node == null) {
                        break;
                    }
                    if (node.token != null) {
                        best = node.token;
                        bestEnd = j + 1;
                    }
                }
                if (best == null) {
                    i++;
                    continue;
                }
                if (!acceptable(best, s, i, bestEnd)) {
                    // The automaton moves past a rejected match rather than retrying inside it.
                    i = bestEnd;
                    continue;
                }
                int start = i;
                int stop = bestEnd;
                if (best.lstrip()) {
                    int k = start;
                    while (k > 0 && Chars.isWhiteSpace(s.charAt(k - 1))) {
                        k--;
                    }
                    start = Math.max(k, consumed);
                }
                if (best.rstrip()) {
                    while (stop < n && Chars.isWhiteSpace(s.charAt(stop))) {
                        stop++;
                    }
                }
                if (consumed < start) {
                    out.add(consumed, start, -1);
                }
                out.add(start, stop, best.id());
                consumed = stop;
                // The automaton resumes right after the pattern, even when rstrip swallowed more.
                i = Math.max(bestEnd, stop);
            }
            if (consumed < n || n == 0) {
                out.add(consumed, n, -1);
            }
        }

        private static boolean acceptable(AddedToken t, String s, int start, int end) {
            if (!t.singleWord()) {
                return true;
            }
            boolean startOk = start == 0 || !Chars.isWordChar(s.codePointBefore(start));
            boolean endOk = end == s.length() || !Chars.isWordChar(s.codePointAt(end));
            return startOk && endOk;
        }
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        AddedToken token;
    }
}
