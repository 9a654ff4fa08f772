package dev.rerank4j.weights.onnx;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.weights.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Gives each weight initializer its Hugging Face name and logical orientation, from how the graph uses it.
 *
 * <p>PyTorch exports a Linear applied to a 3-D activation as {@code MatMul(x, W^T)} with W^T constant-folded
 * into an anonymous initializer ({@code onnx::MatMul_523}, stored [in, out]). Its module is recovered from the
 * graph: the bias Add that follows the MatMul names it ({@code ...query.bias} gives {@code ...query.weight}),
 * and bias-free Linears (JinaBERT's {@code mlp.gated_layers}) are named by the node's scope path
 * ({@code /bert/encoder/layer.0/mlp/gated_layers/MatMul}). Named initializers keep their names; any weight a
 * MatMul or Gemm consumes as [in, out] is exposed transposed, so every logical shape is [out, in].
 */
final class WeightNaming {
    /** A dotted parameter path as PyTorch writes it: {@code bert.encoder.layer.0.attention.self.query.bias}. */
    private static final Pattern PARAMETER_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");
    /** Static (QDQ) and 4-bit quantization; quantize_dynamic's ops are read by {@link QuantizedPatterns}. */
    private static final Set<String> QUANTISED_OPS = Set.of(
            "QLinearMatMul", "QuantizeLinear", "QGemm", "MatMulNBits", "ConvInteger");

    /** Real exports cast a weight once; a longer chain can only be a cycle in a corrupt graph. */
    private static final int MAX_CAST_CHAIN = 8;

    private record Use(OnnxNode node, int index) {}

    private record Placement(String name, boolean storedTransposed) {}

    private final Path file;
    private final Map<String, OnnxInitializer> weights = new HashMap<>();
    private final Map<String, List<Use>> consumers = new HashMap<>();

    private WeightNaming(Path file, OnnxGraph graph) {
        this.file = file;
        for (OnnxInitializer init : graph.initializers()) {
            if (init.isWeight()) {
                weights.put(init.name(), init);
            }
        }
        for (OnnxNode node : graph.nodes()) {
            for (int i = 0; i < node.inputs().size(); i++) {
                consumers.computeIfAbsent(node.inputs().get(i), k -> new ArrayList<>()).add(new Use(node, i));
            }
        }
    }

    /** The weights of {@code graph} under Hugging Face names, sorted by name. */
    static Map<String, Tensor> name(Path file, OnnxGraph graph) {
        rejectOptimisedGraphs(file, graph);
        return new WeightNaming(file, graph).tensors(graph);
    }

    private static void rejectOptimisedGraphs(Path file, OnnxGraph graph) {
        for (OnnxNode node : graph.nodes()) {
            if (QUANTISED_OPS.contains(node.opType())) {
                throw new ModelFormatException(file, "statically quantised ONNX models are not supported (node '"
                        + node.name() + "' is " + node.opType() + "); use the fp32 export or a dynamically "
                        + "quantised one (DynamicQuantizeLinear + MatMulInteger)");
            }
            if (node.domain().equals("com.microsoft")) {
                throw new ModelFormatException(file, "graphs optimised for ONNX Runtime are not supported (node '"
                        + node.name() + "' is the fused op com.microsoft." + node.opType()
                        + "); use the plain exported model");
            }
        }
    }

    private Map<String, Tensor> tensors(OnnxGraph graph) {
        Map<String, Tensor> byName = new TreeMap<>();
        Map<String, String> sourceOf = new HashMap<>();
        List<String> unmappable = new ArrayList<>();
        QuantizedPatterns quantized = new QuantizedPatterns(file, graph, weights,
                t -> consumers.getOrDefault(t, List.of()).stream().map(Use::node).toList());
        for (Map.Entry<String, Tensor> table : quantized.tables().entrySet()) {
            claim(sourceOf, table.getKey(), table.getKey() + "_quantized");
            byName.put(table.getKey(), table.getValue());
        }
        for (OnnxInitializer init : graph.initializers()) {
            QuantizedPatterns.Linear linear = quantized.linears().get(init.name());
            if (linear != null) {
                Optional<String> name = quantizedModule(linear).map(m -> m + ".weight");
                if (name.isEmpty()) {
                    unmappable.add("'" + init.name() + "' (MatMulInteger '" + linear.integerMatMul().name() + "')");
                    continue;
                }
                claim(sourceOf, name.get(), init.name());
                int[] d = init.dims();
                // Stored [in, out]: the same bytes seen as [out, in], quantized per logical row (output channel).
                byName.put(name.get(), new Tensor(name.get(), init.type().dtype(), new int[] {d[1], d[0]},
                        init.data(), true, linear.quantization()));
                continue;
            }
            // 8-bit initializers outside the quantized patterns are graph constants, not parameters.
            if (!init.isWeight() || quantized.isPart(init.name()) || !init.type().dtype().isFloatingPoint()) {
                continue;
            }
            for (Placement p : placements(init, unmappable)) {
                claim(sourceOf, p.name(), init.name());
                Tensor t = Tensor.of(p.name(), init.type().dtype(), init.dims(), init.data());
                byName.put(p.name(), p.storedTransposed() ? t.transpose() : t);
            }
        }
        if (!unmappable.isEmpty()) {
            throw new ModelFormatException(file, "cannot name anonymised weights " + String.join(", ", unmappable)
                    + ": no bias Add follows their MatMul and the node name is not a module path");
        }
        return byName;
    }

    private void claim(Map<String, String> sourceOf, String weight, String initializer) {
        String previous = sourceOf.putIfAbsent(weight, initializer);
        if (previous != null && !previous.equals(initializer)) {
            throw new ModelFormatException(file, "initializers '" + previous + "' and '" + initializer
                    + "' both map to weight '" + weight + "'");
        }
    }

    /**
     * A quantized Linear's module: from the bias Add after its rescaling Mul, or from the MatMulInteger's scope
     * path, which quantize_dynamic derives from the float node's ({@code .../query/MatMul_quant}).
     */
    private Optional<String> quantizedModule(QuantizedPatterns.Linear linear) {
        int outFeatures = linear.weight().dims()[1];
        return addedBias(linear.output(), outFeatures)
                .or(() -> scopeModule(linear.integerMatMul().name().replaceFirst("_quant$", ""), "MatMul"));
    }

    private Set<Placement> placements(OnnxInitializer init, List<String> unmappable) {
        boolean named = PARAMETER_PATH.matcher(init.name()).matches();
        Set<Placement> placements = new LinkedHashSet<>();
        List<Use> uses = usesThroughCasts(init.name(), 0);
        for (Use use : uses) {
            Optional<Boolean> linear = linearOrientation(use, init);
            if (linear.isEmpty()) {
                if (named) {
                    placements.add(new Placement(init.name(), false));
                }
                // An anonymous initializer outside a Linear is a folded constant, not a parameter.
                continue;
            }
            int outFeatures = init.dims()[linear.get() ? 1 : 0];
            Optional<String> name = named
                    ? Optional.of(init.name())
                    : moduleOf(use.node(), outFeatures).map(m -> m + ".weight");
            if (name.isPresent()) {
                placements.add(new Placement(name.get(), linear.get()));
            } else {
                unmappable.add("'" + init.name() + "' (" + use.node().opType() + " '" + use.node().name() + "')");
            }
        }
        if (uses.isEmpty() && named) {
            placements.add(new Placement(init.name(), false));
        }
        if (named && placements.size() > 1) {
            throw new ModelFormatException(file, "weight '" + init.name() + "' is used both as stored and "
                    + "transposed; cannot give it one logical shape");
        }
        return placements;
    }

    /**
     * The nodes that consume a tensor, looking through Cast and Identity: mixed-precision exports store a weight
     * in FLOAT16 and Cast it to FLOAT just before its MatMul.
     */
    private List<Use> usesThroughCasts(String tensor, int depth) {
        if (depth > MAX_CAST_CHAIN) {
            throw new ModelFormatException(file, "tensor '" + tensor + "' ends a chain of more than "
                    + MAX_CAST_CHAIN + " Cast/Identity nodes; the graph has a cycle");
        }
        List<Use> uses = new ArrayList<>();
        for (Use use : consumers.getOrDefault(tensor, List.of())) {
            String op = use.node().opType();
            if ((op.equals("Cast") || op.equals("Identity")) && use.node().outputs().size() == 1) {
                uses.addAll(usesThroughCasts(use.node().outputs().get(0), depth + 1));
            } else {
                uses.add(use);
            }
        }
        return uses;
    }

    /**
     * For the weight operand of a Linear (MatMul input B, Gemm input B) with a 2-D initializer: whether it is
     * stored [in, out], i.e. transposed relative to the logical [out, in]. Empty for any other use.
     */
    private static Optional<Boolean> linearOrientation(Use use, OnnxInitializer init) {
        if (use.index() != 1 || init.dims().length != 2) {
            return Optional.empty();
        }
        return switch (use.node().opType()) {
            case "MatMul" -> Optional.of(true);
            case "Gemm" -> Optional.of(use.node().intAttribute("transB", 0) == 0);
            default -> Optional.empty();
        };
    }

    /** The PyTorch module a Linear node belongs to, from its bias or else from its scope path. */
    private Optional<String> moduleOf(OnnxNode linear, int outFeatures) {
        return biasModule(linear, outFeatures).or(() -> scopeModule(linear.name(), linear.opType()));
    }

    private Optional<String> biasModule(OnnxNode linear, int outFeatures) {
        if (linear.opType().equals("Gemm")) {
            return biasName(linear.input(2), outFeatures);
        }
        return addedBias(linear, outFeatures);
    }

    /** The module named by the bias initializer of the one Add that consumes node's output. */
    private Optional<String> addedBias(OnnxNode node, int outFeatures) {
        List<Use> next = consumers.getOrDefault(node.outputs().isEmpty() ? "" : node.outputs().get(0), List.of());
        if (next.size() != 1 || !next.get(0).node().opType().equals("Add")) {
            return Optional.empty();
        }
        Use add = next.get(0);
        return biasName(add.node().input(1 - add.index()), outFeatures);
    }

    private Optional<String> biasName(String tensor, int outFeatures) {
        OnnxInitializer bias = weights.get(tensor);
        if (bias == null || bias.dims().length != 1 || bias.dims()[0] != outFeatures || !tensor.endsWith(".bias")
                || !PARAMETER_PATH.matcher(tensor).matches()) {
            return Optional.empty();
        }
        return Optional.of(tensor.substring(0, tensor.length() - ".bias".length()));
    }

    /**
     * {@code /bert/encoder/layer.0/mlp/gated_layers/MatMul} names the module
     * {@code bert.encoder.layer.0.mlp.gated_layers}.
     */
    private static Optional<String> scopeModule(String name, String opType) {
        String suffix = "/" + opType;
        if (!name.startsWith("/") || !name.endsWith(suffix) || name.length() <= suffix.length() + 1) {
            return Optional.empty();
        }
        String module = name.substring(1, name.length() - suffix.length()).replace('/', '.');
        return PARAMETER_PATH.matcher(module).matches() ? Optional.of(module) : Optional.empty();
    }
}
