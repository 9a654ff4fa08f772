package dev.rerank4j.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fields of a JSON request body, read with the API's error classes: a field of the wrong type is a 400,
 * an unacceptable value a 422, and every message names the field. Absent and {@code null} mean the same.
 */
final class RequestFields {
    private final JsonNode root;

    private RequestFields(JsonNode root) {
        this.root = root;
    }

    /** A parser that refuses deep nesting, duplicate keys and trailing data, so hostile bodies fail fast. */
    static ObjectMapper parser(long maxBodyBytes) {
        JsonMapper mapper = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxNumberLength(64)
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
                .build());
        return mapper;
    }

    static RequestFields parse(byte[] body, ObjectMapper parser) {
        JsonNode root;
        try {
            root = parser.readTree(utf8(body));
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("malformed JSON body: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid("the body must be a JSON object");
        }
        return new RequestFields(root);
    }

    /**
     * The body as text, strictly: Jackson's own decoder lets overlong forms and encoded surrogates through,
     * and JSON exchanged between systems must be UTF-8 (RFC 8259).
     */
    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid("the body is not valid UTF-8 (at byte " + in.position() + ")");
        }
    }

    private static String typeOf(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private JsonNode field(String name) {
        JsonNode n = root.get(name);
        return n == null || n.isNull() ? null : n;
    }

    /** Whether the body has the field with a non-null value. */
    boolean has(String name) {
        return field(name) != null;
    }

    /** The field's JSON as sent (null when absent), e.g. to echo a structured document back. */
    JsonNode raw(String name) {
        return field(name);
    }

    String requiredString(String name) {
        return optionalString(name).orElseThrow(() -> ApiException.invalid("'" + name + "' is required (a string)"));
    }

    /** A required string that must not be empty (422 when it is). */
    String nonEmptyString(String name) {
        String s = requiredString(name);
        if (s.isEmpty()) {
            throw ApiException.validation("'" + name + "' must not be empty");
        }
        return s;
    }

    Optional<String> optionalString(String name) {
        JsonNode n = field(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ApiException.invalid("'" + name + "' must be a string, got " + typeOf(n));
        }
        return Optional.of(n.textValue());
    }

    boolean bool(String name, boolean absent) {
        JsonNode n = field(name);
        if (n == null) {
            return absent;
        }
        if (!n.isBoolean()) {
            throw ApiException.invalid("'" + name + "' must be true or false, got " + typeOf(n));
        }
        return n.booleanValue();
    }

    Optional<Boolean> optionalBool(String name) {
        return field(name) == null ? Optional.empty() : Optional.of(bool(name, false));
    }

    /** A whole number >= 1, capped at Integer.MAX_VALUE (a huge top_n means "all"); 0 when absent. */
    int positiveInt(String name) {
        JsonNode n = field(name);
        if (n == null) {
            return 0;
        }
        if (!n.isIntegralNumber()) {
            throw ApiException.invalid("'" + name + "' must be an integer, got " + typeOf(n)
                    + (n.isNumber() ? " " + n.asText() : ""));
        }
        BigInteger v = n.bigIntegerValue();
        if (v.signum() < 1) {
            throw ApiException.validation("'" + name + "' must be >= 1, got " + v);
        }
        return v.bitLength() < 32 ? v.intValue() : Integer.MAX_VALUE;
    }

    /**
     * The documents: strings, or (when {@code objects}) objects with a {@code text} string, as Jina and Cohere v1
     * accept. The count is checked against the limit before any element is read.
     */
    List<String> documents(String name, boolean objects, int maxDocuments) {
        JsonNode n = checkedArray(name, maxDocuments);
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode d = n.get(i);
            if (d.isTextual()) {
                out.add(d.textValue());
            } else if (objects && d.isObject() && d.path("text").isTextual()) {
                out.add(d.get("text").textValue());
            } else {
                throw ApiException.invalid("'" + name + "[" + i + "]' must be a string"
                        + (objects ? " or an object with a 'text' string" : "") + ", got " + typeOf(d));
            }
        }
        return out;
    }

    /**
     * Cohere v1's structured documents: with {@code rankFields}, each document may be an object, ranked on those
     * fields; one field gives its value, several give {@code key: value} lines (the YAML-like text Cohere builds).
     * A plain string document stays as it is.
     */
    List<String> documents(String name, List<String> rankFields, int maxDocuments) {
        if (rankFields.isEmpty() || rankFields.equals(List.of("text"))) {
            return documents(name, true, maxDocuments);
        }
        JsonNode n = checkedArray(name, maxDocuments);
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode d = n.get(i);
            if (d.isTextual()) {
                out.add(d.textValue());
                continue;
            }
            if (!d.isObject()) {
                throw ApiException.invalid("'" + name + "[" + i + "]' must be a string or an object, got " + typeOf(d));
            }
            StringBuilder text = new StringBuilder();
            for (String f : rankFields) {
                JsonNode v = d.get(f);
                if (v == null || !v.isValueNode() || v.isNull()) {
                    throw ApiException.invalid("'" + name + "[" + i + "]' has no string field '" + f
                            + "' named in 'rank_fields'");
                }
                if (rankFields.size() == 1) {
                    text.append(v.asText());
                } else {
                    text.append(text.isEmpty() ? "" : "\n").append(f).append(": ").append(v.asText());
                }
            }
            out.add(text.toString());
        }
        return out;
    }

    /** A list of strings, or empty when absent. */
    List<String> stringList(String name) {
        JsonNode n = field(name);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw ApiException.invalid("'" + name + "' must be an array of strings, got " + typeOf(n));
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw ApiException.invalid("'" + name + "[" + i + "]' must be a string, got " + typeOf(n.get(i)));
            }
            out.add(n.get(i).textValue());
        }
        return out;
    }

    /**
     * Texts to embed: one string or a non-empty array of strings (OpenAI's and TEI's {@code input(s)}). Token
     * arrays, which OpenAI also takes, are refused by name: this server tokenizes itself.
     */
    List<String> texts(String name, int maxTexts) {
        JsonNode n = field(name);
        if (n == null) {
            throw ApiException.invalid("'" + name + "' is required (a string or an array of strings)");
        }
        if (n.isTextual()) {
            return List.of(n.textValue());
        }
        if (!n.isArray()) {
            throw ApiException.invalid("'" + name + "' must be a string or an array of strings, got " + typeOf(n));
        }
        checkedArray(name, maxTexts);
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            if (!t.isTextual()) {
                throw ApiException.invalid("'" + name + "[" + i + "]' must be a string, got " + typeOf(t)
                        + (t.isNumber() || t.isArray() ? " (token ids are not accepted: send the text)" : ""));
            }
            out.add(t.textValue());
        }
        return out;
    }

    private JsonNode checkedArray(String name, int maxEntries) {
        JsonNode n = field(name);
        if (n == null) {
            throw ApiException.invalid("'" + name + "' is required (an array)");
        }
        if (!n.isArray()) {
            throw ApiException.invalid("'" + name + "' must be an array, got " + typeOf(n));
        }
        if (n.isEmpty()) {
            throw ApiException.validation("'" + name + "' must not be empty");
        }
        if (n.size() > maxEntries) {
            throw ApiException.tooLarge("'" + name + "' has " + n.size() + " entries; this server accepts at most "
                    + maxEntries);
        }
        return n;
    }
}
