package dev.rerank4j.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the int8 kernels once, as {@link KernelsProvider} does for the float ones and under the same property
 * ({@code -Drerank4j.kernels=scalar|vector}), and logs the choice: called when a model with quantized weights
 * loads.
 */
public final class Int8KernelsProvider {
    private static final System.Logger LOG = System.getLogger(Int8KernelsProvider.class.getName());

    private Int8KernelsProvider() {
    }

    public static Int8Kernels choose() {
        String forced = System.getProperty(KernelsProvider.PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        boolean vectorAvailable = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        Int8Kernels kernels = switch (forced) {
            case "scalar" -> new ScalarInt8Kernels();
            case "vector", "" -> vectorAvailable ? new VectorInt8Kernels() : new ScalarInt8Kernels();
            default -> throw new IllegalArgumentException("-D" + KernelsProvider.PROPERTY
                    + " must be scalar or vector, got '" + forced + "'");
        };
        LOG.log(Level.INFO, "rerank4j int8 kernels: {0}", kernels.name());
        return kernels;
    }
}
