package dev.rerank4j.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Checks a downloaded file against the ETag the Hub gave it: LFS files are named by the sha256 of their content,
 * other files by their git blob id, sha1("blob {size}\0" + content).
 */
final class Integrity {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

    private Integrity() {
    }

    /** Throws {@link HubException.Kind#INTEGRITY} naming {@code label} if {@code file} is not what was announced. */
    static void verify(Path file, String etag, long expectedSize, String label) throws IOException {
        long size = Files.size(file);
        if (expectedSize >= 0 && size != expectedSize) {
            throw new HubException(HubException.Kind.INTEGRITY,
                    label + ": downloaded " + size + " bytes, but the Hub announced " + expectedSize);
        }
        String actual;
        if (SHA256.matcher(etag).matches()) {
            actual = digest(file, "SHA-256", new byte[0]);
        } else if (SHA1.matcher(etag).matches()) {
            actual = digest(file, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        } else {
            return; // an ETag that is no content hash (not from the Hub proper): the size check is all we have
        }
        if (!actual.equals(etag)) {
            throw new HubException(HubException.Kind.INTEGRITY,
                    label + ": content hash " + actual + " does not match the Hub's " + etag
                            + " (the download was corrupted; it has been discarded, try again)");
        }
    }

    private static String digest(Path file, String algorithm, byte[] prefix) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
        md.update(prefix);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
