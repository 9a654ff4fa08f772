package dev.rerank4j.kernels;

/** Element-wise non-linearities used by the supported encoders. */
public enum Activation {
    /** GELU with the exact error function, as {@code torch.nn.functional.gelu(approximate='none')}. */
    GELU,
    /** GELU's tanh approximation ({@code gelu_new}, {@code gelu_pytorch_tanh}). */
    GELU_TANH,
    RELU,
    TANH;

    /** Maps a Hugging Face {@code hidden_act} value. */
    public static Activation fromConfig(String hiddenAct) {
        return switch (hiddenAct) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GELU_TANH;
            case "relu" -> RELU;
            case "tanh" -> TANH;
            default -> throw new IllegalArgumentException("unsupported hidden_act '" + hiddenAct
                    + "'; supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, tanh");
        };
    }
}
