package dev.rerank4j.tokenizer;

/** SentencePiece's precompiled character map normalizer. */
final class Precompiled implements TextNormalizer {
    Precompiled(byte[] charsmap) {
        throw new IllegalArgumentException("Precompiled normalizer is not supported yet");
    }

    @Override
    public Normalized normalize(Normalized in) {
        return in;
    }
}
