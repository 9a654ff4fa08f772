package dev.rerank4j.tokenizer;

/** Java strings may hold unpaired surrogates, which a Rust string (UTF-8) cannot. */
final class Utf16 {
    private Utf16() {
    }

    /** Replaces every unpaired surrogate by U+FFFD, as a UTF-8 round trip does; lengths and offsets stay put. */
    static String scrub(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i += 2;
                    continue;
                }
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (int k = i; k < n; k++) {
            char c = chars[k];
            if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(chars[k + 1])) {
                k++;
            } else if (Character.isSurrogate(c)) {
                chars[k] = '\uFFFD';
            }
        }
        return new String(chars);
    }
}
