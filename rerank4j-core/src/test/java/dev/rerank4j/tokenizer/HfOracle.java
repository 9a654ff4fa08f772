package dev.rerank4j.tokenizer;

import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Rust Hugging Face {@code tokenizers} library through DJL's JNI binding, used directly (not through DJL's
 * wrapper) so that nothing but the tokenizer.json decides the result. Not thread-safe: truncation is tokenizer state.
 */
final class HfOracle implements AutoCloseable {
    private static final TokenizersLibrary LIB = loaded();
    private final long handle;
    private String truncation = "";

    /** What the oracle produced; {@code error} is set instead when the library refused the input. */
    record Result(long[] ids, long[] typeIds, long[] attentionMask, String error) {
    }

    HfOracle(Path tokenizerJson) {
        try {
            handle = LIB.createTokenizerFromString(Files.readString(tokenizerJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LIB.disablePadding(handle);
        LIB.disableTruncation(handle);
    }

    /** Encodes a text (second == null) or a pair; maxLength 0 disables truncation. */
    Result encode(String first, String second, boolean addSpecialTokens, int maxLength, Truncation.Strategy strategy) {
        String wanted = maxLength <= 0 ? "" : maxLength + strategy.name();
        if (!wanted.equals(truncation)) {
            if (maxLength <= 0) {
                LIB.disableTruncation(handle);
            } else {
                LIB.setTruncation(handle, maxLength, strategy.name(), 0);
            }
            truncation = wanted;
        }
        long encoding;
        try {
            encoding = second == null ? LIB.encode(handle, first, addSpecialTokens)
                    : LIB.encodeDual(handle, first, second, addSpecialTokens);
        } catch (RuntimeException e) {
            return new Result(null, null, null, String.valueOf(e.getMessage()));
        }
        try {
            return new Result(LIB.getTokenIds(encoding), LIB.getTypeIds(encoding), LIB.getAttentionMask(encoding),
                    null);
        } finally {
            LIB.deleteEncoding(encoding);
        }
    }

    /**
     * Encodes texts as one batch padded to the longest with the given pad token, as the library's batch encoding
     * does; truncation is off. Rows of {@code ids, typeIds, attentionMask}.
     */
    long[][][] paddedBatch(List<String> texts, String padToken, int padId) {
        LIB.disableTruncation(handle);
        truncation = "";
        LIB.setPaddingWithTokenAndId(handle, 0, "LONGEST", padToken, padId, 0);
        try {
            long[] encodings = LIB.batchEncode(handle, texts.toArray(String[]::new), true);
            long[][][] out = new long[3][encodings.length][];
            for (int i = 0; i < encodings.length; i++) {
                out[0][i] = LIB.getTokenIds(encodings[i]);
                out[1][i] = LIB.getTypeIds(encodings[i]);
                out[2][i] = LIB.getAttentionMask(encodings[i]);
                LIB.deleteEncoding(encodings[i]);
            }
            return out;
        } finally {
            LIB.disablePadding(handle);
        }
    }

    /** Token ids only: the cheapest full round trip, for throughput comparisons. */
    long[] ids(String text, boolean addSpecialTokens) {
        long encoding = LIB.encode(handle, text, addSpecialTokens);
        try {
            return LIB.getTokenIds(encoding);
        } finally {
            LIB.deleteEncoding(encoding);
        }
    }

    /** DJL extracts the bundled native library on first use; after that the JNI calls are live. */
    private static TokenizersLibrary loaded() {
        ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
        return TokenizersLibrary.LIB;
    }

    /** Character offsets of every token, {@code start, end} pairs; {@code 0, 0} for special tokens, as ours. */
    int[] offsets(String first, String second) {
        long encoding = second == null ? LIB.encode(handle, first, true) : LIB.encodeDual(handle, first, second, true);
        try {
            ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = LIB.getTokenCharSpans(encoding);
            int[] out = new int[2 * spans.length];
            for (int i = 0; i < spans.length; i++) {
                out[2 * i] = spans[i] == null ? 0 : spans[i].getStart();
                out[2 * i + 1] = spans[i] == null ? 0 : spans[i].getEnd();
            }
            return out;
        } finally {
            LIB.deleteEncoding(encoding);
        }
    }

    @Override
    public void close() {
        LIB.deleteTokenizer(handle);
    }
}
