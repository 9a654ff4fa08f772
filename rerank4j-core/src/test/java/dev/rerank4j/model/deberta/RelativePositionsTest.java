package dev.rerank4j.model.deberta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.model.Families;
import dev.rerank4j.testing.Golden;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RelativePositionsTest {
    private final RelativePositions positions = new RelativePositions(
            ((DebertaConfig) Families.spec(Golden.DEBERTA_V3_MINI)));

    @Test
    void bucketsMatchTheUpstreamTableForEveryDistanceFromMinus1024To1024() throws IOException {
        JsonNode table = new ObjectMapper().readTree(Golden.DEBERTA_V3_MINI.resolve("debug_first_pair.json").toFile())
                .get("relative_position_bucket");
        int from = table.get("distances_from").asInt();
        JsonNode buckets = table.get("buckets");
        assertThat(from).isEqualTo(-1024);
        assertThat(buckets).hasSize(2049);
        for (int t = 0; t < buckets.size(); t++) {
            assertThat(positions.bucket(from + t)).as("bucket(%d)", from + t).isEqualTo(buckets.get(t).asInt());
        }
        assertThat(positions.bucket(512)).isEqualTo(256);
        assertThat(positions.bucket(-1024)).isEqualTo(-319);
    }

    @Test
    void indicesAreClampedIntoTheTableAndNonDecreasing() {
        assertThat(positions.index(0)).isEqualTo(256);
        assertThat(positions.index(128)).isEqualTo(384);
        assertThat(positions.index(-129)).isEqualTo(256 - positions.bucket(129));
        assertThat(positions.index(512)).isEqualTo(511);
        assertThat(positions.index(-100_000)).isZero();
        int[] table = positions.indexTable(2000);
        assertThat(table).hasSize(3999);
        assertThat(table[1999]).isEqualTo(256);
        for (int t = 1; t < table.length; t++) {
            assertThat(table[t]).isGreaterThanOrEqualTo(table[t - 1]);
        }
    }

    @Test
    void withoutBucketsTheDistanceIsOnlyClamped() {
        RelativePositions plain = new RelativePositions(0, 512, 512);
        assertThat(plain.bucket(700)).isEqualTo(700);
        assertThat(plain.index(-3)).isEqualTo(509);
        assertThat(plain.index(700)).isEqualTo(1023);
    }
}
