package dev.rerank4j.api;

import java.util.Locale;

/**
 * Whether float weights are quantized when a model loads. Models whose file is already quantized (an ONNX graph
 * from onnxruntime's quantize_dynamic) always run as quantized, whatever this says.
 */
public enum Quantize {
    /** Weights as stored: the exact mode, results bit for bit those of the float kernels. */
    NONE,
    /**
     * int8 weights, symmetric per output channel, and uint8 activations quantized per sequence at every linear
     * layer (BERT, JinaBERT, XLM-RoBERTa). Scores move by quantization error; see the README for how much.
     */
    INT8;

    /** Parses {@code none} or {@code int8}, as the command line's {@code --quantize} takes them. */
    public static Quantize parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none", "" -> NONE;
            case "int8" -> INT8;
            default -> throw new IllegalArgumentException("quantize must be none or int8, got '" + value + "'");
        };
    }
}
