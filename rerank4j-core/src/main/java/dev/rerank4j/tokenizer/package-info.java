/**
 * Hugging Face {@code tokenizer.json} tokenizers in plain Java, producing the same ids, type ids and attention masks
 * as the Rust {@code tokenizers} library (0.21) for every input.
 *
 * <p>Supported: models BPE (byte-level or character-level, merges by rank, ignore_merges,
 * continuing_subword_prefix, end_of_word_suffix, byte_fallback, unk_token/fuse_unk), WordPiece, Unigram (Viterbi,
 * unk_id, byte_fallback) and WordLevel; normalizers BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents,
 * Strip, Replace, Prepend, Precompiled and Sequence; pre-tokenizers ByteLevel, BertPreTokenizer, Whitespace,
 * WhitespaceSplit, Punctuation, Metaspace, Split, Digits, CharDelimiterSplit and Sequence; post-processors
 * RobertaProcessing, BertProcessing, TemplateProcessing, ByteLevel and Sequence; added tokens with every option.
 * Anything else fails at load with a {@link dev.rerank4j.ModelFormatException} naming the file, the JSON path and
 * the type. Decoders are not read: rerank4j never turns ids back into text.
 *
 * <p>Where the Rust library's behaviour depends on its own data rather than on the file, it is reproduced on purpose:
 * BERT's character categories come from Unicode 8.0 tables ({@code BertCategories}), Unigram scores are parsed the
 * way {@code serde_json} parses floats ({@code RustJsonFloat}), and the precompiled charsmap is applied per grapheme
 * with the shortest matching key. Offsets are UTF-16 indices into the caller's string; strings with unpaired
 * surrogates are encoded as their UTF-8 round trip (each lone surrogate becomes U+FFFD).
 */
package dev.rerank4j.tokenizer;
