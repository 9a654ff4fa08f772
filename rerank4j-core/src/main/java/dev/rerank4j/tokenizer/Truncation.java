package dev.rerank4j.tokenizer;

/**
 * How to cut an encoding down to {@code maxLength} tokens; {@code maxLength} counts the special tokens the
 * post-processor adds, as in Hugging Face {@code tokenizers}.
 */
public record Truncation(int maxLength, Strategy strategy, Direction direction) {

    public enum Strategy { LONGEST_FIRST, ONLY_FIRST, ONLY_SECOND }

    public enum Direction { RIGHT, LEFT }

    private static final Truncation NONE = new Truncation(Integer.MAX_VALUE, Strategy.LONGEST_FIRST, Direction.RIGHT);

    public Truncation {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be >= 0, got " + maxLength);
        }
        if (strategy == null || direction == null) {
            throw new IllegalArgumentException("strategy and direction are required");
        }
    }

    public static Truncation none() {
        return NONE;
    }

    public static Truncation longestFirst(int maxLength) {
        return new Truncation(maxLength, Strategy.LONGEST_FIRST, Direction.RIGHT);
    }

    public boolean isNone() {
        return maxLength == Integer.MAX_VALUE;
    }
}
