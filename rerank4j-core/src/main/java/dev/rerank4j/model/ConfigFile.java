package dev.rerank4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A model's {@code config.json}, parsed, with readers whose errors name the file and the field: every family
 * reads its hyper-parameters through these.
 */
public record ConfigFile(Path path, JsonNode json) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ConfigFile read(Path configJson) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(configJson));
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(configJson, "no such file (a model directory needs config.json)");
        } catch (IOException e) {
            throw new ModelFormatException(configJson, "not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new ModelFormatException(configJson, "expected a JSON object");
        }
        return new ConfigFile(configJson, n);
    }

    public String modelType() {
        return json.path("model_type").asText("");
    }

    /** {@code architectures[0]}, or "" when the config names none. */
    public String architectureName() {
        return json.path("architectures").path(0).asText("");
    }

    public int positiveInt(String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw problem("field '" + field + "' must be a positive integer, found "
                    + (v == null ? "nothing" : v.toString()));
        }
        return v.asInt();
    }

    public int intOr(String field, int fallback) {
        return json.path(field).asInt(fallback);
    }

    public double doubleOr(String field, double fallback) {
        return json.path(field).asDouble(fallback);
    }

    public String textOr(String field, String fallback) {
        return json.path(field).asText(fallback);
    }

    public boolean has(String field) {
        return json.has(field);
    }

    public ModelFormatException problem(String message) {
        return new ModelFormatException(path, message);
    }
}
