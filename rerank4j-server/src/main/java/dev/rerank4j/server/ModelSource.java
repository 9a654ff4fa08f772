package dev.rerank4j.server;

import dev.rerank4j.api.Engine;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A model to serve: how to load it, what to call it in a load error before it has an id, and further names a
 * request's {@code model} may give it.
 *
 * @param label what the user named (a directory, a Hub id), for messages
 * @param loader loads the engine; called once, on the server's loader thread
 * @param aliases names accepted besides the model's own id (an owner prefix such as {@code jinaai/} is ignored)
 */
public record ModelSource(String label, Supplier<Engine> loader, List<String> aliases) {
    public ModelSource {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(loader, "loader");
        aliases = List.copyOf(aliases);
    }

    public static ModelSource of(String label, Supplier<Engine> loader) {
        return new ModelSource(label, loader, List.of());
    }
}
