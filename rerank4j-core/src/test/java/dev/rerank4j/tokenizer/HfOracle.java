package dev.rerank4j.tokenizer;

import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    @Override
    public void close() {
        LIB.deleteTokenizer(handle);
    }
}
