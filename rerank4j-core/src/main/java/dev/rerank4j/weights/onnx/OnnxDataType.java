package dev.rerank4j.weights.onnx;

import dev.rerank4j.weights.DType;
import java.util.Optional;

/** TensorProto.DataType codes, and which of them rerank4j reads as weights. */
enum OnnxDataType {
    UNDEFINED(0, null, Role.UNSUPPORTED),
    FLOAT(1, DType.F32, Role.WEIGHT),
    UINT8(2, DType.U8, Role.WEIGHT),
    INT8(3, DType.I8, Role.WEIGHT),
    UINT16(4, null, Role.CONSTANT),
    INT16(5, null, Role.CONSTANT),
    INT32(6, null, Role.CONSTANT),
    INT64(7, null, Role.CONSTANT),
    STRING(8, null, Role.UNSUPPORTED),
    BOOL(9, null, Role.CONSTANT),
    FLOAT16(10, DType.F16, Role.WEIGHT),
    DOUBLE(11, null, Role.CONSTANT),
    UINT32(12, null, Role.CONSTANT),
    UINT64(13, null, Role.CONSTANT),
    COMPLEX64(14, null, Role.UNSUPPORTED),
    COMPLEX128(15, null, Role.UNSUPPORTED),
    BFLOAT16(16, DType.BF16, Role.WEIGHT),
    FLOAT8E4M3FN(17, null, Role.UNSUPPORTED),
    FLOAT8E4M3FNUZ(18, null, Role.UNSUPPORTED),
    FLOAT8E5M2(19, null, Role.UNSUPPORTED),
    FLOAT8E5M2FNUZ(20, null, Role.UNSUPPORTED),
    UINT4(21, null, Role.UNSUPPORTED),
    INT4(22, null, Role.UNSUPPORTED),
    FLOAT4E2M1(23, null, Role.UNSUPPORTED);

    /**
     * WEIGHT: floating-point parameters the model computes with, and the 8-bit integers, scales and zero points
     * of quantized ones (DynamicQuantizeLinear/MatMulInteger, DequantizeLinear). CONSTANT: wider integer, boolean and double
     * initializers are graph plumbing (position ids, shapes, masks), never parameters of the supported
     * architectures, so they are left out. UNSUPPORTED: types no supported model stores (strings, complex numbers,
     * 8-bit floats and 4-bit types).
     */
    enum Role { WEIGHT, CONSTANT, UNSUPPORTED }

    private final int code;
    private final DType dtype;
    private final Role role;

    OnnxDataType(int code, DType dtype, Role role) {
        this.code = code;
        this.dtype = dtype;
        this.role = role;
    }

    static Optional<OnnxDataType> of(int code) {
        for (OnnxDataType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    int code() {
        return code;
    }

    /** The element type of a WEIGHT tensor; null for the other roles, which are never read. */
    DType dtype() {
        return dtype;
    }

    Role role() {
        return role;
    }
}
