package dev.rerank4j.server;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The models one server serves, and how a request's {@code model} picks one: the first model when the body
 * names none; else the model whose id or alias it names, exactly or but for a Hub-style owner prefix
 * ({@code jinaai/...}), so a client configured for the hosted API works unchanged; else, with
 * {@code acceptAnyModelName}, the first model again.
 */
final class ServedModels {
    private final List<ModelService> models;
    private final boolean acceptAnyModelName;

    ServedModels(List<ModelService> models, boolean acceptAnyModelName) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
        for (int i = 0; i < models.size(); i++) {
            for (int j = 0; j < i; j++) {
                for (String name : models.get(i).names()) {
                    if (models.get(j).names().contains(name)) {
                        throw new IllegalArgumentException("models '" + models.get(j).modelId() + "' and '"
                                + models.get(i).modelId() + "' are both named '" + name
                                + "': give one another --served-model-name");
                    }
                }
            }
        }
        this.models = List.copyOf(models);
        this.acceptAnyModelName = acceptAnyModelName;
    }

    List<ModelService> all() {
        return models;
    }

    ModelService defaultModel() {
        return models.get(0);
    }

    /** The model a request's {@code model} field names (422 when no served model has that name). */
    ModelService resolve(Optional<String> requested) {
        return resolve(requested, defaultModel());
    }

    /** As {@link #resolve(Optional)}, with {@code fallback} for a body without a name or with one not served. */
    private ModelService resolve(Optional<String> requested, ModelService fallback) {
        if (requested.isEmpty()) {
            return fallback;
        }
        String name = requested.get();
        for (ModelService m : models) {
            if (m.names().contains(name)) {
                return m;
            }
        }
        for (ModelService m : models) {
            for (String served : m.names()) {
                if (lastSegment(name).equals(lastSegment(served))) {
                    return m;
                }
            }
        }
        if (acceptAnyModelName) {
            return fallback;
        }
        throw ApiException.validation("model '" + name + "' is not served here; this server serves "
                + quoted(models.stream().flatMap(m -> m.names().stream()).toList()));
    }

    /**
     * The embedding model a request names; without a {@code model} field (or, with {@code acceptAnyModelName},
     * with one not served), the first embedding model. A reranker is a 422 that says what it is.
     */
    ModelService resolveEmbedding(Optional<String> requested, String route) {
        List<String> embedding = models.stream().filter(ModelService::embeds).map(ModelService::modelId).toList();
        ModelService m = resolve(requested,
                models.stream().filter(ModelService::embeds).findFirst().orElse(defaultModel()));
        if (!m.embeds()) {
            throw ApiException.validation("model '" + m.modelId() + "' is a reranker (cross-encoder, "
                    + m.architecture() + ") and cannot embed; " + route + " needs an embedding model (bi-encoder)"
                    + (embedding.isEmpty() ? ", and this server serves none"
                    : ": this server serves " + quoted(embedding)));
        }
        return m;
    }

    /**
     * Refuses (429) before the body is read when no model has room; which model a request wants is known only
     * once its body is parsed, and then that model's own queue decides.
     */
    void requireRoom() {
        if (models.stream().allMatch(ModelService::full)) {
            defaultModel().requireRoom();
        }
    }

    /** Drains every model within one timeout in all (they drain at once; each waits only what is left). */
    void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        models.forEach(m -> m.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    }

    private static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }
}
