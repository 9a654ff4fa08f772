package dev.rerank4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * tokenizer.json variants that put the less common components to work: the real MiniLM and jinabert vocabularies
 * with other normalizers, pre-tokenizers, post-processors and added tokens swapped in.
 */
final class ComponentFixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ComponentFixtures() {
    }

    /** WordPiece behind NFD + StripAccents + Lowercase, WhitespaceSplit + Punctuation + Digits, BertProcessing. */
    static Path wordPieceUnicodeForms(Path dir) {
        ObjectNode root = TestTokenizers.readJson(TestTokenizers.miniLmJson());
        root.set("normalizer", sequence("normalizers", type("NFD"), type("StripAccents"), type("Lowercase")));
        root.set("pre_tokenizer", sequence("pretokenizers", type("WhitespaceSplit"),
                type("Punctuation").put("behavior", "Isolated"), type("Digits").put("individual_digits", true)));
        ObjectNode bert = type("BertProcessing");
        bert.set("sep", MAPPER.createArrayNode().add("[SEP]").add(102));
        bert.set("cls", MAPPER.createArrayNode().add("[CLS]").add(101));
        root.set("post_processor", bert);
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        added.add(added("<word>", 30522, false, false, true, true));
        added.add(added("xyz", 30523, false, true, false, false));
        added.add(added("ŞPEC", 30524, true, false, true, false));
        return TestTokenizers.writeTokenizerJson(root, dir.resolve("wordpiece-unicode-forms"));
    }

    /** WordPiece behind NFKC + Replace + Prepend, Whitespace + Split(regex, merged) + CharDelimiterSplit. */
    static Path wordPieceSplits(Path dir) {
        ObjectNode root = TestTokenizers.readJson(TestTokenizers.miniLmJson());
        root.set("normalizer", sequence("normalizers", type("NFKC"),
                type("Replace").<ObjectNode>set("pattern", MAPPER.createObjectNode().put("Regex", "[0-9]{3,}"))
                        .put("content", "#"),
                type("Lowercase"), type("Prepend").put("prepend", "x ")));
        root.set("pre_tokenizer", sequence("pretokenizers", type("Whitespace"),
                type("Split").<ObjectNode>set("pattern", MAPPER.createObjectNode().put("Regex", "[aeiou]"))
                        .put("behavior", "MergedWithPrevious").put("invert", false),
                type("CharDelimiterSplit").put("delimiter", "-"),
                type("Punctuation").put("behavior", "MergedWithNext")));
        return TestTokenizers.writeTokenizerJson(root, dir.resolve("wordpiece-splits"));
    }

    /** WordPiece behind NFC + NFKD, Split(literal, contiguous, inverted) + Punctuation(contiguous) + Digits. */
    static Path wordPieceBehaviours(Path dir) {
        ObjectNode root = TestTokenizers.readJson(TestTokenizers.miniLmJson());
        root.set("normalizer", sequence("normalizers", type("NFC"), type("NFKD"), type("Lowercase")));
        root.set("pre_tokenizer", sequence("pretokenizers",
                type("Split").<ObjectNode>set("pattern", MAPPER.createObjectNode().put("String", " "))
                        .put("behavior", "Removed").put("invert", false),
                type("Split").<ObjectNode>set("pattern", MAPPER.createObjectNode().put("Regex", "\\p{L}+"))
                        .put("behavior", "Contiguous").put("invert", true),
                type("Punctuation").put("behavior", "Contiguous"),
                type("Digits").put("individual_digits", false)));
        return TestTokenizers.writeTokenizerJson(root, dir.resolve("wordpiece-behaviours"));
    }

    /**
     * Llama-3 layout on the GPT-2 vocabulary: Split with the Llama-3 regex, ByteLevel without its own regex and with
     * a prefix space, Sequence[ByteLevel, TemplateProcessing] post-processing, non-special added tokens.
     */
    static Path byteLevelLlamaLayout(Path dir) {
        ObjectNode root = TestTokenizers.readJson(TestTokenizers.JINABERT_JSON);
        root.putNull("normalizer");
        String llama3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
        root.set("pre_tokenizer", sequence("pretokenizers",
                type("Split").<ObjectNode>set("pattern", MAPPER.createObjectNode().put("Regex", llama3))
                        .put("behavior", "Isolated").put("invert", false),
                type("ByteLevel").put("add_prefix_space", true).put("trim_offsets", true).put("use_regex", false)));
        ObjectNode template = type("TemplateProcessing");
        template.set("single", json("[{\"SpecialToken\":{\"id\":\"<s>\",\"type_id\":0}},"
                + "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}]"));
        template.set("pair", json("[{\"SpecialToken\":{\"id\":\"<s>\",\"type_id\":0}},"
                + "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":{\"id\":\"<s>\",\"type_id\":1}},"
                + "{\"Sequence\":{\"id\":\"B\",\"type_id\":1}}]"));
        template.set("special_tokens", json("{\"<s>\":{\"id\":\"<s>\",\"ids\":[0],"
                + "\"tokens\":[\"<s>\"]}}"));
        root.set("post_processor", MAPPER.createObjectNode().put("type", "Sequence").set("processors",
                MAPPER.createArrayNode().add(type("ByteLevel").put("add_prefix_space", true)
                        .put("trim_offsets", false).put("use_regex", true)).add(template)));
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        added.add(added("<|eot|>", 50262, true, false, false, false));
        added.add(added(" the", 50263, false, true, true, false));
        added.add(added("ing", 50264, false, false, false, true));
        return TestTokenizers.writeTokenizerJson(root, dir.resolve("byte-level-llama-layout"));
    }

    /**
     * Character-level BPE over the MiniLM vocabulary: continuation pieces carry "##", merges rebuild every
     * vocabulary entry from its last character, byte fallback covers unknown characters, ignore_merges is on.
     */
    static Path bpeWithPrefix(Path dir) {
        ObjectNode root = TestTokenizers.readJson(TestTokenizers.miniLmJson());
        ObjectNode vocab = ((ObjectNode) root.path("model").path("vocab")).deepCopy();
        ArrayNode merges = MAPPER.createArrayNode();
        for (var it = root.path("model").path("vocab").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            boolean continuation = t.startsWith("##");
            String body = continuation ? t.substring(2) : t;
            int n = body.codePointCount(0, body.length());
            if (n < 2 || t.startsWith("[")) {
                continue;
            }
            int cut = body.offsetByCodePoints(0, n - 1);
            String left = (continuation ? "##" : "") + body.substring(0, cut);
            String right = "##" + body.substring(cut);
            if (vocab.has(left) && vocab.has(right)) {
                merges.add(MAPPER.createArrayNode().add(left).add(right));
            }
        }
        int next = vocab.size();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), next++);
        }
        ObjectNode model = MAPPER.createObjectNode().put("type", "BPE").putNull("dropout").put("unk_token", "[UNK]")
                .put("continuing_subword_prefix", "##").putNull("end_of_word_suffix").put("fuse_unk", false)
                .put("byte_fallback", true).put("ignore_merges", true);
        model.set("vocab", vocab);
        model.set("merges", merges);
        root.set("model", model);
        return TestTokenizers.writeTokenizerJson(root, dir.resolve("bpe-prefix"));
    }

    /**
     * Character-level BPE with an end-of-word suffix: every MiniLM entry exists word-internally and word-finally
     * ("</w>"), string-form merges, an unknown token with fuse_unk, no byte fallback.
     */
    static Path bpeWithSuffix(Path dir) {
        ObjectNode root = TestTokenizers.readJson(TestTokenizers.miniLmJson());
        java.util.LinkedHashMap<String, Integer> vocab = new java.util.LinkedHashMap<>();
        for (String special : new String[] {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
            vocab.put(special, vocab.size());
        }
        java.util.List<String> words = new java.util.ArrayList<>();
        for (var it = root.path("model").path("vocab").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            if (!t.startsWith("[")) {
                String body = t.startsWith("##") ? t.substring(2) : t;
                words.add(body);
                vocab.putIfAbsent(body, vocab.size());
                vocab.putIfAbsent(body + "</w>", vocab.size());
            }
        }
        ArrayNode merges = MAPPER.createArrayNode();
        for (String w : words) {
            int n = w.codePointCount(0, w.length());
            if (n < 2) {
                continue;
            }
            int cut = w.offsetByCodePoints(0, n - 1);
            String left = w.substring(0, cut);
            String last = w.substring(cut);
            if (vocab.containsKey(left) && vocab.containsKey(last)) {
                merges.add(left + " " + last + "</w>");
                merges.add(left + " " + last);
            }
        }
        ObjectNode vocabNode = MAPPER.createObjectNode();
        vocab.forEach(vocabNode::put);
        ObjectNode model = MAPPER.createObjectNode().put("type", "BPE").putNull("dropout").put("unk_token", "[UNK]")
                .putNull("continuing_subword_prefix").put("end_of_word_suffix", "</w>").put("fuse_unk", true)
                .put("byte_fallback", false);
        model.set("vocab", vocabNode);
        model.set("merges", merges);
        root.set("model", model);
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        for (JsonNode t : added) {
            ((ObjectNode) t).put("id", vocab.get(t.path("content").asText()));
        }
        ObjectNode bert = type("BertProcessing");
        bert.set("sep", MAPPER.createArrayNode().add("[SEP]").add(vocab.get("[SEP]")));
        bert.set("cls", MAPPER.createArrayNode().add("[CLS]").add(vocab.get("[CLS]")));
        root.set("post_processor", bert);
        root.set("pre_tokenizer", type("Whitespace"));
        root.putNull("padding");
        root.putNull("truncation");
        return TestTokenizers.writeTokenizerJson(root, dir.resolve("bpe-suffix"));
    }

    private static ObjectNode added(String content, int id, boolean special, boolean lstrip, boolean rstrip,
                                    boolean singleWord) {
        return MAPPER.createObjectNode().put("id", id).put("content", content).put("single_word", singleWord)
                .put("lstrip", lstrip).put("rstrip", rstrip).put("normalized", !special).put("special", special);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode type(String type) {
        return MAPPER.createObjectNode().put("type", type);
    }

    private static ObjectNode sequence(String field, ObjectNode... steps) {
        ArrayNode list = MAPPER.createArrayNode();
        for (ObjectNode s : steps) {
            list.add(s);
        }
        return type("Sequence").set(field, list);
    }
}
