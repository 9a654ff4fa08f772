package dev.rerank4j.eval;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorInputStream;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorOutputStream;
import org.xerial.snappy.SnappyApi;
import org.xerial.snappy.SnappyLoader;

/**
 * Snappy for Parquet pages without native code. Hardwood decompresses Snappy through snappy-java's static
 * {@code Snappy} class and offers no codec plug-in point; snappy-java 1.1.10.x always loads its bundled JNI library
 * (its pure-Java implementation was removed: the {@code org.xerial.snappy.purejava} key is still declared but read
 * nowhere). {@code Snappy} asks {@code SnappyLoader} for its implementation once, when it is initialised, and takes
 * one installed beforehand: this class is that implementation, on commons-compress's pure-Java raw Snappy codec
 * (aircompressor's is faster but uses {@code sun.misc.Unsafe}, which JDK 24+ warns about on every run).
 *
 * <p>Only byte arrays and buffers are supported; the entry points that take native addresses cannot be served
 * from Java and throw. If another component of the JVM initialised {@code Snappy} first, its choice stands.
 */
final class PureJavaSnappy implements SnappyApi {
    private PureJavaSnappy() {
    }

    /** Installs the pure-Java implementation once, before Hardwood first touches {@code Snappy}. */
    static void install() {
        Holder.INSTALLED.hashCode();
    }

    private static final class Holder {
        static final Boolean INSTALLED = installNow();

        private static Boolean installNow() {
            try {
                MethodHandle set = MethodHandles.privateLookupIn(SnappyLoader.class, MethodHandles.lookup())
                        .findStatic(SnappyLoader.class, "setSnappyApi",
                                MethodType.methodType(void.class, SnappyApi.class));
                set.invoke(new PureJavaSnappy());
            } catch (Throwable e) {
                throw new IllegalStateException("snappy-java " + SnappyLoader.getVersion() + " has no "
                        + "SnappyLoader.setSnappyApi(SnappyApi) to install the pure-Java Snappy codec: " + e, e);
            }
            // Hardwood inflates GZIP pages with the system's libdeflate through FFM when it finds one; the JDK's
            // Inflater is the pure-Java path. The property is Hardwood's only switch; a user's own value stands.
            if (System.getProperty("hardwood.uselibdeflate") == null) {
                System.setProperty("hardwood.uselibdeflate", "false");
            }
            return Boolean.TRUE;
        }
    }

    @Override
    public int rawUncompress(ByteBuffer in, int offset, int length, ByteBuffer out, int outOffset)
            throws IOException {
        byte[] src = new byte[length];
        in.get(offset, src);
        byte[] plain = uncompress(src, 0, length);
        out.put(outOffset, plain);
        return plain.length;
    }

    @Override
    public int rawUncompress(Object in, int offset, int length, Object out, int outOffset) throws IOException {
        byte[] plain = uncompress(bytes(in), offset, length);
        System.arraycopy(plain, 0, bytes(out), outOffset, plain.length);
        return plain.length;
    }

    @Override
    public int rawCompress(ByteBuffer in, int offset, int length, ByteBuffer out, int outOffset) throws IOException {
        byte[] src = new byte[length];
        in.get(offset, src);
        byte[] packed = compress(src, 0, length);
        out.put(outOffset, packed);
        return packed.length;
    }

    @Override
    public int rawCompress(Object in, int offset, int length, Object out, int outOffset) throws IOException {
        byte[] packed = compress(bytes(in), offset, length);
        System.arraycopy(packed, 0, bytes(out), outOffset, packed.length);
        return packed.length;
    }

    @Override
    public int maxCompressedLength(int length) {
        return maxLength(length);
    }

    @Override
    public int uncompressedLength(ByteBuffer in, int offset, int length) throws IOException {
        byte[] src = new byte[Math.min(length, 5)];
        in.get(offset, src);
        return preamble(src, 0, src.length);
    }

    @Override
    public int uncompressedLength(Object in, int offset, int length) throws IOException {
        return preamble(bytes(in), offset, length);
    }

    @Override
    public boolean isValidCompressedBuffer(ByteBuffer in, int offset, int length) {
        byte[] src = new byte[length];
        in.get(offset, src);
        return isValid(src, 0, length);
    }

    @Override
    public boolean isValidCompressedBuffer(Object in, int offset, int length) throws IOException {
        return isValid(bytes(in), offset, length);
    }

    @Override
    public void arrayCopy(Object src, int offset, int length, Object dest, int destOffset) {
        System.arraycopy(bytes(src), offset, bytes(dest), destOffset, length);
    }

    @Override
    public long rawCompress(long inputAddress, long length, long destAddress) {
        throw addresses();
    }

    @Override
    public long rawUncompress(long inputAddress, long length, long destAddress) {
        throw addresses();
    }

    @Override
    public long uncompressedLength(long inputAddress, long length) {
        throw addresses();
    }

    @Override
    public boolean isValidCompressedBuffer(long inputAddress, long offset, long length) {
        throw addresses();
    }

    static byte[] uncompress(byte[] src, int offset, int length) throws IOException {
        int size = preamble(src, offset, length);
        // The window must reach back as far as any copy may: the whole output, whatever block size the writer used.
        try (InputStream in = new SnappyCompressorInputStream(new ByteArrayInputStream(src, offset, length),
                Math.max(size, 1))) {
            byte[] plain = in.readNBytes(size);
            if (plain.length != size || in.read() != -1) {
                throw new IOException("Snappy block declares " + size + " bytes but holds "
                        + (plain.length != size ? plain.length : "more"));
            }
            return plain;
        }
    }

    private static byte[] compress(byte[] src, int offset, int length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(maxLength(length));
        try (SnappyCompressorOutputStream snappy = new SnappyCompressorOutputStream(out, length)) {
            snappy.write(src, offset, length);
        }
        return out.toByteArray();
    }

    /** The bound of the Snappy format's reference implementation. */
    private static int maxLength(int length) {
        return 32 + length + length / 6;
    }

    /** The block's uncompressed length: a little-endian base-128 varint, at most 5 bytes. */
    private static int preamble(byte[] src, int offset, int length) throws IOException {
        long value = 0;
        for (int i = 0; i < Math.min(length, 5); i++) {
            int b = src[offset + i] & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if (b < 0x80) {
                if (value > Integer.MAX_VALUE) {
                    break;
                }
                return (int) value;
            }
        }
        throw new IOException("not a Snappy block: bad length preamble");
    }

    private static boolean isValid(byte[] src, int offset, int length) {
        try {
            uncompress(src, offset, length);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] bytes(Object array) {
        if (array instanceof byte[] b) {
            return b;
        }
        throw new UnsupportedOperationException("pure-Java Snappy handles byte arrays only, not "
                + array.getClass().getSimpleName());
    }

    private static UnsupportedOperationException addresses() {
        return new UnsupportedOperationException("pure-Java Snappy cannot read or write native memory addresses");
    }
}
