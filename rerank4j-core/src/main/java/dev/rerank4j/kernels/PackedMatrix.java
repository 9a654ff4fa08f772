package dev.rerank4j.kernels;

/**
 * A weight matrix of logical shape [rows = outputs, cols = inputs], laid out however the kernel that packed it
 * computes fastest. Only the kernel that made it may read it.
 */
public interface PackedMatrix {
    int rows();

    int cols();
}
