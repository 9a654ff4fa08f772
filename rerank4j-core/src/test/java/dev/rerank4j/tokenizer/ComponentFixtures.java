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
