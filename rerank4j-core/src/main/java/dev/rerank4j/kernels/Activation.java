package dev.rerank4j.kernels;

/** Element-wise non-linearities used by the supported encoders, applied in the matrix multiply's epilogue. */
public enum Activation {
    /** No non-linearity: the multiply's output plus bias. */
    IDENTITY,
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

    /** The reference definition, in double precision where it matters. */
    public float apply(float v) {
        return switch (this) {
            case IDENTITY -> v;
            case GELU -> Erf.gelu(v);
            case GELU_TANH -> (float) (0.5 * v * (1 + StrictMath.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
            case RELU -> Math.max(0f, v);
            case TANH -> (float) StrictMath.tanh(v);
        };
    }
}
