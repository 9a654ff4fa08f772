package dev.rerank4j.tokenizer;

import java.util.List;

/** Cuts normalized text into the words the model encodes one at a time. */
interface PreTokenizer {

    /** Appends the pieces of {@code piece} to {@code out}, in order. */
    void split(Normalized piece, List<Normalized> out);
}
