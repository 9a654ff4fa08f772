package dev.rerank4j.hub;

/**
 * Hears about file transfers, so a front end can draw progress bars; core itself prints nothing.
 *
 * <p>Calls for one transfer come from one thread, but different transfers may report from different threads.
 */
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener NONE = (file, totalBytes, alreadyDone) -> Transfer.NONE;

    /**
     * A transfer of {@code file} begins.
     *
     * @param file        the file's path inside its repo, e.g. {@code onnx/model.onnx}
     * @param totalBytes  the file's full size
     * @param alreadyDone bytes already on disk from an earlier, interrupted attempt
     */
    Transfer start(String file, long totalBytes, long alreadyDone);

    /** One file's transfer. */
    interface Transfer extends AutoCloseable {
        Transfer NONE = new Transfer() {
            @Override
            public void advance(long bytes) {
            }

            @Override
            public void close() {
            }
        };

        /**
         * {@code bytes} more arrived; negative when a server ignored the request to resume and the transfer
         * restarted from zero.
         */
        void advance(long bytes);

        /** The transfer ended, successfully or not. */
        @Override
        void close();
    }
}
