package dev.rerank4j.tokenizer;

/** A Hugging Face normalizer: rewrites text before pre-tokenization while keeping the alignment to the original. */
interface TextNormalizer {

    Normalized normalize(Normalized in);
}
