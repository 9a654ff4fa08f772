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
        if (n.size() > maxDocuments) {
            throw ApiException.tooLarge("'" + name + "' has " + n.size() + " entries; this server accepts at most "
                    + maxDocuments);
        }
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
}
