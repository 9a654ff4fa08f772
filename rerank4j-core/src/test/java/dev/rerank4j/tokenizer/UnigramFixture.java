package dev.rerank4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds SentencePiece-style Unigram tokenizer.json files in the XLM-RoBERTa layout from data stated here: pieces
 * derived from the all-MiniLM-L6-v2 WordPiece vocabulary with deterministic pseudo-log-probability scores, and a
 * precompiled charsmap holding NFKC-style rules, control-character removal, whitespace folding and composition of
 * base letter plus combining mark.
 */
final class UnigramFixture {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] SPECIALS = {"<s>", "<pad>", "</s>", "<unk>"};

    private UnigramFixture() {
    }

    /** XLM-R layout: Precompiled + Replace normalizer, Metaspace (always, split), no byte fallback, XLM-R template. */
    static Path xlmRobertaStyle(Path dir) {
        ObjectNode root = base(false);
        ArrayNode normalizers = MAPPER.createArrayNode();
        normalizers.add(precompiled());
        normalizers.add(MAPPER.createObjectNode().put("type", "Replace")
                .<ObjectNode>set("pattern", MAPPER.createObjectNode().put("Regex", " {2,}")).put("content", " "));
        root.set("normalizer", MAPPER.createObjectNode().put("type", "Sequence").set("normalizers", normalizers));
        root.set("pre_tokenizer", MAPPER.createObjectNode().put("type", "Metaspace").put("replacement", "▁")
                .put("prepend_scheme", "always").put("split", true));
        return TestTokenizers.writeTokenizerJson(root, dir.resolve("xlmr-style"));
    }

    /**
     * Llama-style variant: byte fallback, Metaspace prepending only at the start of the text and not splitting, and a
     * normalizer sequence of Strip, Precompiled, NFKC, Lowercase and a literal Replace.
     */
    static Path byteFallbackStyle(Path dir) {
        ObjectNode root = base(true);
        ArrayNode normalizers = MAPPER.createArrayNode();
        normalizers.add(MAPPER.createObjectNode().put("type", "Strip").put("strip_left", true)
                .put("strip_right", false));
        normalizers.add(precompiled());
        normalizers.add(MAPPER.createObjectNode().put("type", "NFKC"));
        normalizers.add(MAPPER.createObjectNode().put("type", "Lowercase"));
        normalizers.add(MAPPER.createObjectNode().put("type", "Replace")
                .<ObjectNode>set("pattern", MAPPER.createObjectNode().put("String", "ﬀ")).put("content", "f f"));
        root.set("normalizer", MAPPER.createObjectNode().put("type", "Sequence").set("normalizers", normalizers));
        root.set("pre_tokenizer", MAPPER.createObjectNode().put("type", "Metaspace").put("replacement", "▁")
                .put("prepend_scheme", "first").put("split", false));
        return TestTokenizers.writeTokenizerJson(root, dir.resolve("byte-fallback-style"));
    }

    private static ObjectNode base(boolean byteFallback) {
        Map<String, Double> pieces = pieces(byteFallback);
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        int maskId = pieces.size();
        for (int i = 0; i < SPECIALS.length; i++) {
            added.add(addedToken(i, SPECIALS[i], false));
        }
        added.add(addedToken(maskId, "<mask>", true));
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        post.set("single", template(false));
        post.set("pair", template(true));
        ObjectNode specials = post.putObject("special_tokens");
        specials.set("<s>", MAPPER.createObjectNode().put("id", "<s>").<ObjectNode>set("ids",
                MAPPER.createArrayNode().add(0)).set("tokens", MAPPER.createArrayNode().add("<s>")));
        specials.set("</s>", MAPPER.createObjectNode().put("id", "</s>").<ObjectNode>set("ids",
                MAPPER.createArrayNode().add(2)).set("tokens", MAPPER.createArrayNode().add("</s>")));
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "Unigram");
        model.put("unk_id", 3);
        ArrayNode vocab = model.putArray("vocab");
        pieces.forEach((piece, score) -> vocab.add(MAPPER.createArrayNode().add(piece).add(score)));
        vocab.add(MAPPER.createArrayNode().add("<mask>").add(0.0));
        model.put("byte_fallback", byteFallback);
        return root;
    }

    private static ObjectNode addedToken(int id, String content, boolean lstrip) {
        return MAPPER.createObjectNode().put("id", id).put("content", content).put("single_word", false)
                .put("lstrip", lstrip).put("rstrip", false).put("normalized", false).put("special", true);
    }

    private static ArrayNode template(boolean pair) {
        ArrayNode t = MAPPER.createArrayNode();
        t.add(special("<s>"));
        t.add(sequence("A"));
        t.add(special("</s>"));
        if (pair) {
            t.add(special("</s>"));
            t.add(sequence("B"));
            t.add(special("</s>"));
        }
        return t;
    }

    private static ObjectNode special(String id) {
        return MAPPER.createObjectNode().set("SpecialToken", MAPPER.createObjectNode().put("id", id).put("type_id", 0));
    }

    private static ObjectNode sequence(String id) {
        return MAPPER.createObjectNode().set("Sequence", MAPPER.createObjectNode().put("id", id).put("type_id", 0));
    }

    /** Specials first, then WordPiece tokens turned into SentencePiece pieces, scored by rank with jitter. */
    private static Map<String, Double> pieces(boolean byteFallback) {
        Map<String, Double> pieces = new LinkedHashMap<>();
        for (String s : SPECIALS) {
            pieces.put(s, 0.0);
        }
        if (byteFallback) {
            for (int b = 0; b < 256; b++) {
                pieces.put(String.format("<0x%02X>", b), 0.0);
            }
        }
        SplittableRandom random = new SplittableRandom(7);
        pieces.put("▁", -2.0);
        JsonNode miniLm = TestTokenizers.readJson(TestTokenizers.miniLmJson()).path("model").path("vocab");
        int rank = 0;
        for (var it = miniLm.fieldNames(); it.hasNext(); ) {
            String token = it.next();
            if (token.startsWith("[") && token.endsWith("]")) {
                continue;
            }
            rank++;
            double score = -Math.log(rank + 2) * (1 + 0.2 * random.nextDouble());
            String piece = token.startsWith("##") ? token.substring(2) : "▁" + token;
            pieces.putIfAbsent(piece, score);
            // Without byte fallback, rare scripts should still mostly tokenize: keep the bare characters too.
            if (!byteFallback && token.codePointCount(0, token.length()) == 1) {
                pieces.putIfAbsent(token, score - 3);
            }
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            pieces.putIfAbsent(String.valueOf(c), -12.0 - random.nextDouble());
            pieces.putIfAbsent("▁" + c, -11.0 - random.nextDouble());
        }
        // A tie: two segmentations of "▁reranker" with exactly the same total, resolved by position order upstream.
        pieces.put("▁rerank", -9.0);
        pieces.put("er", -3.0);
        pieces.put("▁rer", -6.0);
        pieces.put("anker", -6.0);
        return pieces;
    }

    private static ObjectNode precompiled() {
        return MAPPER.createObjectNode().put("type", "Precompiled")
                .put("precompiled_charsmap", Base64.getEncoder().encodeToString(charsMap().build()));
    }

    /** The normalization rules, in the spirit of SentencePiece's nmt_nfkc. */
    static CharsMapBuilder charsMap() {
        CharsMapBuilder b = new CharsMapBuilder();
        int[][] ranges = {{0xA0, 0x24F}, {0x2B0, 0x2FF}, {0x1E00, 0x1EFF}, {0x2000, 0x2BFF}, {0x3000, 0x30FF},
            {0x3200, 0x33FF}, {0xF900, 0xFAFF}, {0xFB00, 0xFB4F}, {0xFE30, 0xFFEF}, {0x1D400, 0x1D7FF},
            {0x1F100, 0x1F1FF}};
        for (int[] r : ranges) {
            for (int c = r[0]; c <= r[1]; c++) {
                String s = new String(Character.toChars(c));
                String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
                if (!n.equals(s) && Character.isDefined(c)) {
                    b.put(s, n);
                }
            }
        }
        for (int c = 0; c < 0x20; c++) {
            b.put(String.valueOf((char) c), c == '\t' || c == '\n' || c == '\r' ? " " : "");
        }
        for (int c = 0x7F; c <= 0x9F; c++) {
            b.put(String.valueOf((char) c), "");
        }
        for (String zeroWidth : new String[] {"\u200B", "\u2060", "\uFEFF", "\u00AD"}) {
            b.put(zeroWidth, "");
        }
        String bases = "aeiouncAEIOUNCyY";
        for (int i = 0; i < bases.length(); i++) {
            for (int mark = 0x300; mark <= 0x30C; mark++) {
                String seq = bases.charAt(i) + String.valueOf((char) mark);
                String composed = Normalizer.normalize(seq, Normalizer.Form.NFC);
                if (composed.length() == 1) {
                    b.put(seq, composed);
                }
            }
        }
        for (char k = 0xFF76; k <= 0xFF84; k++) {
            String voiced = k + "\uFF9E";
            b.put(voiced, Normalizer.normalize(voiced, Normalizer.Form.NFKC));
        }
        return b;
    }
}
