package dev.rerank4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads tokenizer.json (and tokenizer_config.json) into tokenizer components. Every component type is checked
 * here, so an unsupported one fails at load with its JSON path and type name rather than at encode time.
 */
final class TokenizerJson {
    /** Floats keep their written digits, so Unigram scores can be read the way the Rust library reads them. */
    private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    /** Hugging Face writes {@code model_max_length = 1e30} when a model declares no limit. */
    private static final double UNSET_MAX_LENGTH = 1e29;

    private final Path file;

    private TokenizerJson(Path file) {
        this.file = file;
    }

    static Tokenizer.Components read(Path tokenizerJson, Path configOrNull) {
        JsonNode root = readTree(tokenizerJson);
        JsonNode config = configOrNull == null ? null : readTree(configOrNull);
        TokenizerJson r = new TokenizerJson(tokenizerJson);
        try {
            return r.components(root, config, configOrNull);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFormatException(tokenizerJson, e.getMessage(), e);
        }
    }

    private static JsonNode readTree(Path file) {
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new ModelFormatException(file, "expected a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read JSON: " + e.getMessage(), e);
        }
    }

    private Tokenizer.Components components(JsonNode root, JsonNode config, Path configPath) {
        TextNormalizer normalizer = normalizer(root.path("normalizer"), "normalizer");
        PreTokenizer preTokenizer = preTokenizer(root.path("pre_tokenizer"), "pre_tokenizer");
        Model model = model(root.path("model"));
        List<AddedToken> added = addedTokens(root.path("added_tokens"), model.vocab());
        Map<String, Integer> ids = new HashMap<>(model.vocab());
        for (AddedToken t : added) {
            ids.put(t.content(), t.id());
        }
        PostProcessor post = postProcessor(root.path("post_processor"), "post_processor", ids);
        int padId = padId(root.path("padding"), config, ids);
        OptionalInt maxLength = OptionalInt.empty();
        if (config != null) {
            JsonNode m = config.path("model_max_length");
            if (m.isNumber()) {
                if (m.asDouble() < UNSET_MAX_LENGTH && m.asDouble() >= 1) {
                    maxLength = OptionalInt.of((int) Math.min(Integer.MAX_VALUE, m.asLong()));
                }
            } else if (!m.isMissingNode() && !m.isNull()) {
                throw new ModelFormatException(configPath, "model_max_length is not a number: " + m);
            }
        }
        return new Tokenizer.Components(model, normalizer, preTokenizer, post, added, padId, maxLength);
    }

    private static int padId(JsonNode padding, JsonNode config, Map<String, Integer> ids) {
        if (padding.isObject() && padding.path("pad_id").isInt()) {
            return padding.path("pad_id").asInt();
        }
        if (config != null) {
            JsonNode pad = config.path("pad_token");
            String token = pad.isTextual() ? pad.asText() : pad.path("content").asText(null);
            if (token != null && ids.containsKey(token)) {
                return ids.get(token);
            }
        }
        return 0;
    }

    /**
     * The added tokens with the ids Hugging Face gives them, which are not the ids written in the file: a token
     * already known (in the model vocabulary or added before) keeps that id; a new one gets the next id after the
     * model vocabulary (or after the highest added id once that is past it). Files written by the library agree.
     */
    private List<AddedToken> addedTokens(JsonNode list, Map<String, Integer> modelVocab) {
        Map<String, AddedToken> byContent = new java.util.LinkedHashMap<>();
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        int maxAdded = -1;
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            String where = "added_tokens[" + i + "]";
            requireInt(t, "id", where);
            String content = requireText(t, "content", where);
            if (content.isEmpty()) {
                continue;
            }
            AddedToken known = byContent.get(content);
            Integer id = known != null ? Integer.valueOf(known.id()) : modelVocab.get(content);
            if (id == null) {
                id = maxAdded >= modelVocab.size() ? maxAdded + 1 : modelVocab.size();
            }
            maxAdded = Math.max(maxAdded, id);
            byContent.put(content, new AddedToken(id, content, t.path("special").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                    t.path("single_word").asBoolean(false), t.path("normalized").asBoolean(true)));
        }
        return List.copyOf(byContent.values());
    }

    // ---- normalizers

    private TextNormalizer normalizer(JsonNode n, String where) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        String type = type(n, where);
        return switch (type) {
            case "BertNormalizer" -> {
                boolean lowercase = n.path("lowercase").asBoolean(true);
                JsonNode strip = n.path("strip_accents");
                boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
                yield new Normalizers.Bert(n.path("clean_text").asBoolean(true),
                        n.path("handle_chinese_chars").asBoolean(true), stripAccents, lowercase);
            }
            case "NFC" -> new Normalizers.Unicode(Form.NFC);
            case "NFD" -> new Normalizers.Unicode(Form.NFD);
            case "NFKC" -> new Normalizers.Unicode(Form.NFKC);
            case "NFKD" -> new Normalizers.Unicode(Form.NFKD);
            case "Lowercase" -> new Normalizers.Lowercase();
            case "StripAccents" -> new Normalizers.StripAccents();
            case "Strip" -> new Normalizers.Strip(n.path("strip_left").asBoolean(true),
                    n.path("strip_right").asBoolean(true));
            case "Replace" -> new Normalizers.Replace(pattern(n.path("pattern"), where + ".pattern"),
                    requireText(n, "content", where));
            case "Prepend" -> new Normalizers.Prepend(requireText(n, "prepend", where));
            case "Precompiled" -> precompiled(n, where);
            case "Sequence" -> {
                List<TextNormalizer> steps = new ArrayList<>();
                JsonNode list = n.path("normalizers");
                for (int i = 0; i < list.size(); i++) {
                    TextNormalizer step = normalizer(list.get(i), where + ".normalizers[" + i + "]");
                    if (step != null) {
                        steps.add(step);
                    }
                }
                yield new Normalizers.Sequence(List.copyOf(steps));
            }
            default -> throw unsupported(where, type);
        };
    }

    private TextNormalizer precompiled(JsonNode n, String where) {
        JsonNode map = n.path("precompiled_charsmap");
        if (map.isNull() || map.isMissingNode()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(map.asText());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, where + ".precompiled_charsmap is not base64: " + e.getMessage());
        }
        try {
            return new Precompiled(bytes);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, where + ".precompiled_charsmap: " + e.getMessage());
        }
    }

    // ---- pre-tokenizers

    private PreTokenizer preTokenizer(JsonNode n, String where) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        String type = type(n, where);
        return switch (type) {
            case "ByteLevel" -> new ByteLevel(n.path("add_prefix_space").asBoolean(true),
                    n.path("use_regex").asBoolean(true));
            case "BertPreTokenizer" -> PreTokenizers.bert();
            case "Whitespace" -> new PreTokenizers.Whitespace();
            case "WhitespaceSplit" -> PreTokenizers.whitespaceSplit();
            case "Punctuation" -> PreTokenizers.punctuation(behavior(n, "Isolated", where));
            case "Digits" -> PreTokenizers.digits(n.path("individual_digits").asBoolean(false));
            case "CharDelimiterSplit" -> {
                String d = requireText(n, "delimiter", where);
                if (d.codePointCount(0, d.length()) != 1) {
                    throw new ModelFormatException(file, where + ".delimiter must be one character: '" + d + "'");
                }
                yield PreTokenizers.charDelimiter(d.codePointAt(0));
            }
            case "Metaspace" -> metaspace(n, where);
            case "Split" -> new PreTokenizers.Split(pattern(n.path("pattern"), where + ".pattern"),
                    behavior(n, null, where), n.path("invert").asBoolean(false));
            case "Sequence" -> {
                List<PreTokenizer> steps = new ArrayList<>();
                JsonNode list = n.path("pretokenizers");
                for (int i = 0; i < list.size(); i++) {
                    PreTokenizer step = preTokenizer(list.get(i), where + ".pretokenizers[" + i + "]");
                    if (step != null) {
                        steps.add(step);
                    }
                }
                yield new PreTokenizers.Sequence(List.copyOf(steps));
            }
            default -> throw unsupported(where, type);
        };
    }

    private PreTokenizer metaspace(JsonNode n, String where) {
        String replacement = requireText(n, "replacement", where);
        if (replacement.length() != 1) {
            throw new ModelFormatException(file, where + ".replacement must be one UTF-16 unit: '" + replacement + "'");
        }
        PreTokenizers.Metaspace.PrependScheme scheme;
        JsonNode ps = n.path("prepend_scheme");
        if (ps.isTextual()) {
            scheme = switch (ps.asText()) {
                case "always" -> PreTokenizers.Metaspace.PrependScheme.ALWAYS;
                case "first" -> PreTokenizers.Metaspace.PrependScheme.FIRST;
                case "never" -> PreTokenizers.Metaspace.PrependScheme.NEVER;
                default -> throw new ModelFormatException(file, where + ".prepend_scheme '" + ps.asText()
                        + "' is not always, first or never");
            };
        } else {
            // Files written before prepend_scheme existed carry add_prefix_space instead.
            scheme = n.path("add_prefix_space").asBoolean(true) ? PreTokenizers.Metaspace.PrependScheme.ALWAYS
                    : PreTokenizers.Metaspace.PrependScheme.NEVER;
        }
        return new PreTokenizers.Metaspace(replacement.charAt(0), scheme, n.path("split").asBoolean(true));
    }

    private SplitBehavior behavior(JsonNode n, String dflt, String where) {
        JsonNode b = n.path("behavior");
        String name = b.isTextual() ? b.asText() : dflt;
        if (name == null) {
            throw new ModelFormatException(file, where + ".behavior is missing");
        }
        try {
            return SplitBehavior.fromJson(name);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, where + ".behavior: " + e.getMessage());
        }
    }

    /** A {@code {"String": s}} (literal) or {@code {"Regex": r}} pattern. */
    private Pattern pattern(JsonNode p, String where) {
        if (p.has("String")) {
            return Pattern.compile(Pattern.quote(p.get("String").asText()));
        }
        if (p.has("Regex")) {
            String regex = p.get("Regex").asText();
            try {
                return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
            } catch (PatternSyntaxException e) {
                try {
                    return Pattern.compile(withJavaScriptNames(regex), Pattern.UNICODE_CHARACTER_CLASS);
                } catch (PatternSyntaxException again) {
                    throw new ModelFormatException(file, where + ": unsupported regex: " + e.getDescription());
                }
            }
        }
        throw new ModelFormatException(file, where + " must be {\"String\": ...} or {\"Regex\": ...}, got " + p);
    }

    /** Oniguruma names scripts bare ({@code \p{Han}}); Java wants {@code \p{IsHan}}. */
    private static String withJavaScriptNames(String regex) {
        java.util.regex.Matcher m = Pattern.compile("\\\\([pP])\\{([A-Za-z_]+)\\}").matcher(regex);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String replacement = m.group();
            try {
                Character.UnicodeScript.forName(name);
                replacement = "\\" + m.group(1) + "{Is" + name + "}";
            } catch (IllegalArgumentException notAScript) {
                // A general category or property Java already knows: leave it.
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    // ---- post-processors

    private PostProcessor postProcessor(JsonNode n, String where, Map<String, Integer> ids) {
        if (n.isMissingNode() || n.isNull()) {
            return PostProcessor.NONE;
        }
        String type = type(n, where);
        return switch (type) {
            case "RobertaProcessing" -> PostProcessor.roberta(tokenPair(n, "cls", where), tokenPair(n, "sep", where),
                    trim(n));
            case "BertProcessing" -> PostProcessor.bert(tokenPair(n, "cls", where), tokenPair(n, "sep", where));
            case "ByteLevel" -> new PostProcessor(null, null, trim(n));
            case "TemplateProcessing" -> template(n, where);
            case "Sequence" -> {
                List<PostProcessor> steps = new ArrayList<>();
                JsonNode list = n.path("processors");
                for (int i = 0; i < list.size(); i++) {
                    steps.add(postProcessor(list.get(i), where + ".processors[" + i + "]", ids));
                }
                yield PostProcessor.sequence(steps);
            }
            default -> throw unsupported(where, type);
        };
    }

    private static PostProcessor.OffsetTrim trim(JsonNode n) {
        return PostProcessor.OffsetTrim.of(n.path("trim_offsets").asBoolean(true),
                n.path("add_prefix_space").asBoolean(true));
    }

    /** RobertaProcessing/BertProcessing store {@code ["<s>", 0]}. */
    private int tokenPair(JsonNode n, String field, String where) {
        JsonNode p = n.path(field);
        if (!p.isArray() || p.size() != 2 || !p.get(1).isInt()) {
            throw new ModelFormatException(file, where + "." + field + " must be [token, id], got " + p);
        }
        return p.get(1).asInt();
    }

    private PostProcessor template(JsonNode n, String where) {
        Map<String, int[]> specials = new HashMap<>();
        JsonNode st = n.path("special_tokens");
        for (Iterator<Map.Entry<String, JsonNode>> it = st.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode list = e.getValue().path("ids");
            int[] ids = new int[list.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = list.get(i).asInt();
            }
            specials.put(e.getKey(), ids);
        }
        return new PostProcessor(templateItems(n.path("single"), specials, where + ".single"),
                templateItems(n.path("pair"), specials, where + ".pair"), PostProcessor.OffsetTrim.NONE);
    }

    private List<PostProcessor.Item> templateItems(JsonNode list, Map<String, int[]> specials, String where) {
        List<PostProcessor.Item> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode piece = list.get(i);
            String at = where + "[" + i + "]";
            if (piece.has("SpecialToken")) {
                JsonNode s = piece.get("SpecialToken");
                int[] ids = specials.get(s.path("id").asText());
                if (ids == null) {
                    throw new ModelFormatException(file, at + ": special token '" + s.path("id").asText()
                            + "' is not in special_tokens");
                }
                items.add(PostProcessor.Item.special(ids, s.path("type_id").asInt(0)));
            } else if (piece.has("Sequence")) {
                JsonNode s = piece.get("Sequence");
                String id = s.path("id").asText();
                if (!id.equals("A") && !id.equals("B")) {
                    throw new ModelFormatException(file, at + ": sequence id must be A or B, got '" + id + "'");
                }
                items.add(PostProcessor.Item.sequence(id.equals("A") ? 0 : 1, s.path("type_id").asInt(0)));
            } else {
                throw new ModelFormatException(file, at + " is neither SpecialToken nor Sequence: " + piece);
            }
        }
        return List.copyOf(items);
    }

    // ---- models

    private Model model(JsonNode m) {
        if (!m.isObject()) {
            throw new ModelFormatException(file, "model is missing");
        }
        String type = m.path("type").asText(null);
        if (type == null) {
            // Older files leave the type out; the fields tell the models apart.
            type = m.has("merges") ? "BPE" : m.path("vocab").isArray() ? "Unigram"
                    : m.has("continuing_subword_prefix") ? "WordPiece" : "WordLevel";
        }
        return switch (type) {
            case "BPE" -> bpe(m);
            case "WordPiece" -> new WordPieceModel(vocab(m), m.path("unk_token").asText("[UNK]"),
                    m.path("continuing_subword_prefix").asText("##"), m.path("max_input_chars_per_word").asInt(100));
            case "WordLevel" -> new WordLevelModel(vocab(m), m.path("unk_token").asText(null));
            case "Unigram" -> unigram(m);
            default -> throw unsupported("model", type);
        };
    }

    private Model bpe(JsonNode m) {
        JsonNode dropout = m.path("dropout");
        if (dropout.isNumber() && dropout.asDouble() > 0) {
            throw new ModelFormatException(file, "model.dropout " + dropout.asDouble()
                    + " is not supported (encoding would be random)");
        }
        List<String[]> merges = new ArrayList<>();
        JsonNode list = m.path("merges");
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            if (e.isTextual()) {
                String s = e.asText();
                int space = s.indexOf(' ', 1);
                if (space < 0) {
                    throw new ModelFormatException(file, "model.merges[" + i + "] '" + s + "' is not 'a b'");
                }
                merges.add(new String[] {s.substring(0, space), s.substring(space + 1)});
            } else if (e.isArray() && e.size() == 2) {
                merges.add(new String[] {e.get(0).asText(), e.get(1).asText()});
            } else {
                throw new ModelFormatException(file, "model.merges[" + i + "] is not a merge: " + e);
            }
        }
        return new BpeModel(vocab(m), merges, new BpeModel.Config(textOrNull(m, "unk_token"),
                textOrNull(m, "continuing_subword_prefix"), textOrNull(m, "end_of_word_suffix"),
                m.path("fuse_unk").asBoolean(false), m.path("byte_fallback").asBoolean(false),
                m.path("ignore_merges").asBoolean(false)));
    }

    private Model unigram(JsonNode m) {
        JsonNode list = m.path("vocab");
        List<String> pieces = new ArrayList<>(list.size());
        double[] scores = new double[list.size()];
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            if (!e.isArray() || e.size() != 2 || !e.get(1).isNumber()) {
                throw new ModelFormatException(file, "model.vocab[" + i + "] must be [piece, score], got " + e);
            }
            pieces.add(e.get(0).asText());
            scores[i] = RustJsonFloat.parse(e.get(1).decimalValue());
        }
        JsonNode unk = m.path("unk_id");
        int unkId = unk.isInt() ? unk.asInt() : -1;
        if (unkId >= pieces.size()) {
            throw new ModelFormatException(file, "model.unk_id " + unkId + " is outside the vocabulary");
        }
        return new UnigramModel(pieces, scores, unkId, m.path("byte_fallback").asBoolean(false));
    }

    private Map<String, Integer> vocab(JsonNode m) {
        JsonNode v = m.path("vocab");
        if (!v.isObject()) {
            throw new ModelFormatException(file, "model.vocab must be an object of token to id");
        }
        Map<String, Integer> vocab = new HashMap<>(v.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isInt() || e.getValue().asInt() < 0) {
                throw new ModelFormatException(file, "model.vocab['" + e.getKey() + "'] is not an id: " + e.getValue());
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        return vocab;
    }

    // ---- helpers

    private String type(JsonNode n, String where) {
        JsonNode t = n.path("type");
        if (!t.isTextual()) {
            throw new ModelFormatException(file, where + " has no type");
        }
        return t.asText();
    }

    private ModelFormatException unsupported(String where, String type) {
        return new ModelFormatException(file, where + " type '" + type + "' is not supported");
    }

    private int requireInt(JsonNode n, String field, String where) {
        JsonNode v = n.path(field);
        if (!v.isInt()) {
            throw new ModelFormatException(file, where + "." + field + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    private String requireText(JsonNode n, String field, String where) {
        JsonNode v = n.path(field);
        if (!v.isTextual()) {
            throw new ModelFormatException(file, where + "." + field + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
