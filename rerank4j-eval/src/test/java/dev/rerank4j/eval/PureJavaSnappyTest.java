package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default Parquet path runs no native code: a Snappy shard written by parquet-java through snappy-java's JNI
 * library is read back, in a fresh JVM, by the pure-Java codec, and that JVM never maps snappy-java's library (nor
 * libdeflate, which Hardwood would otherwise use for GZIP pages where the system has it).
 */
class PureJavaSnappyTest {
    @TempDir
    Path tmp;

    @Test
    void snappyParquetWrittenByTheNativeCodecReadsWithNoNativeLibrary() throws Exception {
        Path shard = tmp.resolve("corpus-0.parquet");
        List<String> expected = new ArrayList<>();
        SnappyParquetMain.rows().forEach(r -> expected.add(SnappyParquetMain.line((String) r.get("_id"),
                (String) r.get("text"))));

        List<String> written = child("write", shard);
        assertThat(written).startsWith(expected.toArray(String[]::new));
        assertThat(written.getLast()).isEqualTo("snappy-java native library mapped: true, loaded: true, "
                + "implementation: SnappyNative, libdeflate mapped: false");

        List<String> read = child("read", shard);
        assertThat(read).startsWith(expected.toArray(String[]::new)).hasSize(expected.size() + 1);
        assertThat(read.getLast()).isEqualTo("snappy-java native library mapped: false, loaded: false, "
                + "implementation: PureJavaSnappy, libdeflate mapped: false");
    }

    private List<String> child(String mode, Path shard) throws Exception {
        Path err = tmp.resolve(mode + ".err");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                SnappyParquetMain.class.getName(), mode, shard.toString())
                .redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out + Files.readString(err)).isZero();
        return out.lines().toList();
    }
}
