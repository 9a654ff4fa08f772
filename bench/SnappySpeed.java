import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorInputStream;
import org.xerial.snappy.Snappy;

/**
 * Snappy decoding speed, JNI (snappy-java) against pure Java (commons-compress, what rerank4j-eval reads Parquet
 * pages with), side by side in one JVM: 48 one-MiB pages of word-like text compressed by snappy-java, 7 rounds each,
 * medians. Run with bench/snappy-speed.sh.
 */
public class SnappySpeed {
    public static void main(String[] args) throws Exception {
        Random random = new Random(1);
        String[] words = new String[2000];
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            for (int j = 3 + random.nextInt(8); j > 0; j--) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            words[i] = w.toString();
        }
        int pages = 48;
        int size = 1 << 20;
        List<byte[]> packed = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            StringBuilder text = new StringBuilder(size + 20);
            while (text.length() < size) {
                text.append(words[(int) Math.abs(random.nextGaussian() * 300) % words.length]).append(' ');
            }
            packed.add(Snappy.compress(text.substring(0, size).getBytes()));
        }
        double[] jni = new double[7];
        double[] pure = new double[7];
        byte[] out = new byte[size];
        for (int round = 0; round < jni.length; round++) {
            long t = System.nanoTime();
            for (byte[] c : packed) {
                Snappy.uncompress(c, 0, c.length, out, 0);
            }
            jni[round] = pages / ((System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            for (byte[] c : packed) {
                try (var in = new SnappyCompressorInputStream(new ByteArrayInputStream(c), size)) {
                    if (in.readNBytes(out, 0, size) != size) {
                        throw new IllegalStateException("short page");
                    }
                }
            }
            pure[round] = pages / ((System.nanoTime() - t) / 1e9);
        }
        Arrays.sort(jni);
        Arrays.sort(pure);
        System.out.printf("MiB/s of output, median of 7 rounds: JNI %.0f, pure Java %.0f, ratio %.1f%n", jni[3],
                pure[3], jni[3] / pure[3]);
    }
}
