package dev.rerank4j.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A read-only view of a stored tensor: its bytes stay where the reader found them (usually a memory-mapped
 * file) until the model converts them, once, into its own layout.
 *
 * <p>{@code shape} is the logical shape. A 2-D tensor may be stored transposed: ONNX exports keep Linear
 * weights as [in, out] while the logical (Hugging Face) layout is [out, in]; the view hides the difference
 * so that no reader has to copy a matrix just to flip it.
 */
public final class Tensor {
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final ByteBuffer data;
    private final boolean transposed;
    private final Quantization quantization;

    public Tensor(String name, DType dtype, int[] shape, ByteBuffer data, boolean transposed) {
        this(name, dtype, shape, data, transposed, null);
    }

    /**
     * An 8-bit tensor (I8 or U8) with its quantization, or (quantization null) a floating-point tensor. Per-row
     * quantization refers to the logical rows of a 2-D tensor.
     */
    public Tensor(String name, DType dtype, int[] shape, ByteBuffer data, boolean transposed,
                  Quantization quantization) {
        if (transposed && shape.length != 2) {
            throw new IllegalArgumentException(name + ": only 2-D tensors can be stored transposed");
        }
        boolean eightBit = dtype == DType.I8 || dtype == DType.U8;
        if (eightBit != (quantization != null)) {
            throw new IllegalArgumentException(name + ": " + dtype + (eightBit ? " needs" : " cannot have")
                    + " a quantization");
        }
        if (quantization != null && quantization.perRow()
                && (shape.length != 2 || quantization.scales().length != shape[0])) {
            throw new IllegalArgumentException(name + ": " + quantization + " do not match shape "
                    + Arrays.toString(shape));
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.transposed = transposed;
        this.quantization = quantization;
    }

    public static Tensor of(String name, DType dtype, int[] shape, ByteBuffer data) {
        return new Tensor(name, dtype, shape, data, false);
    }

    public static Tensor quantized(String name, DType dtype, int[] shape, ByteBuffer data, Quantization q) {
        return new Tensor(name, dtype, shape, data, false, q);
    }

    /** How the stored 8-bit integers map to real values; null for a floating-point tensor. */
    public Quantization quantization() {
        return quantization;
    }

    /** The stored 8-bit integer at logical (row, col) of a quantized 2-D tensor (I8: -128..127, U8: 0..255). */
    public int getInt(int row, int col) {
        int i = Math.toIntExact(storageIndex(row, col));
        return dtype == DType.U8 ? data.get(i) & 0xff : data.get(i);
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The same bytes seen with the two axes of a 2-D tensor swapped. */
    public Tensor transpose() {
        if (quantization != null && quantization.perRow()) {
            throw new IllegalStateException(name + ": a per-row quantized tensor cannot be transposed");
        }
        return new Tensor(name, dtype, new int[] {shape[1], shape[0]}, data, !transposed, quantization);
    }

    public Tensor rename(String newName) {
        return new Tensor(newName, dtype, shape, data, transposed, quantization);
    }

    /** Element at logical (row, col) of a 2-D tensor, widened (or dequantized) to float. */
    public float get(int row, int col) {
        if (quantization != null) {
            return dequantize(getInt(row, col), row);
        }
        return read(storageIndex(row, col));
    }

    private long storageIndex(int row, int col) {
        return transposed ? (long) col * shape[0] + row : (long) row * shape[1] + col;
    }

    /** DequantizeLinear: the difference in integers, then one float multiply. */
    private float dequantize(int q, int row) {
        return (q - quantization.zeroPoint(row)) * quantization.scale(row);
    }

    /** Element at a flat row-major index of the logical shape (any rank, no transposition). */
    public float get(long index) {
        if (quantization != null && shape.length != 2) {
            return dequantize(intAt(Math.toIntExact(index)), 0);
        }
        if (transposed || quantization != null) {
            return get((int) (index / shape[1]), (int) (index % shape[1]));
        }
        return read(index);
    }

    /** All elements, logical row-major, as float: the single conversion from stored bytes. */
    public float[] toFloats() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException(name + ": " + n + " elements do not fit one array");
        }
        float[] out = new float[(int) n];
        if (quantization != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] = get((long) i);
            }
        } else if (!transposed) {
            for (int i = 0; i < out.length; i++) {
                out[i] = read(i);
            }
        } else {
            int rows = shape[0];
            int cols = shape[1];
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    out[r * cols + c] = read((long) c * rows + r);
                }
            }
        }
        return out;
    }

    private int intAt(int i) {
        return dtype == DType.U8 ? data.get(i) & 0xff : data.get(i);
    }

    private float read(long index) {
        int i = Math.toIntExact(index);
        return switch (dtype) {
            case F32 -> data.getFloat(i * 4);
            case F16 -> Float.float16ToFloat(data.getShort(i * 2));
            case BF16 -> Float.intBitsToFloat((data.getShort(i * 2) & 0xffff) << 16);
            case F64 -> (float) data.getDouble(i * 8);
            default -> throw new IllegalStateException(name + ": " + dtype + " is not a floating-point tensor");
        };
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + (transposed ? " (stored transposed)" : "")
                + (quantization == null ? "" : " quantized, " + quantization);
    }
}
