package dev.rerank4j.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the kernel implementation once, at start-up: the Vector API one when {@code jdk.incubator.vector}
 * is in the boot layer, else the scalar reference. {@code -Drerank4j.kernels=scalar|vector} forces a choice.
 */
public final class KernelsProvider {
    public static final String PROPERTY = "rerank4j.kernels";
    private static final System.Logger LOG = System.getLogger(KernelsProvider.class.getName());

    private KernelsProvider() {
    }

    public static Kernels choose() {
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        boolean vectorAvailable = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        Kernels kernels;
        String why;
        switch (forced) {
            case "scalar" -> {
                kernels = new ScalarKernels();
                why = "forced by -D" + PROPERTY + "=scalar";
            }
            case "vector" -> {
                if (!vectorAvailable) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector needs the JVM flag "
                            + "--add-modules jdk.incubator.vector");
                }
                kernels = new VectorKernels();
                why = "forced by -D" + PROPERTY + "=vector";
            }
            case "" -> {
                kernels = vectorAvailable ? new VectorKernels() : new ScalarKernels();
                why = vectorAvailable ? "jdk.incubator.vector present"
                        : "jdk.incubator.vector absent (add --add-modules jdk.incubator.vector for SIMD)";
            }
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be scalar or vector, got '"
                    + forced + "'");
        }
        LOG.log(Level.INFO, "rerank4j kernels: {0} ({1})", kernels.name(), why);
        return kernels;
    }
}
