package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Prometheus text: cumulative buckets, sums and counts, and a bounded label space. */
class MetricsTest {

    @Test
    void histogramsAreCumulativeWithSumAndCountPerModel() {
        Metrics metrics = new Metrics(Set.of("/v1/rerank"));
        Metrics.ModelMetrics m = metrics.model("a");
        m.batch(1, 10, 100);
        m.batch(3, 30, 300);
        m.batch(3, 2000, 50);
        metrics.model("b \"quoted\"").batch(2, 2, 7);
        String text = metrics.render();
        assertThat(text).contains(
                "rerank4j_batch_requests_bucket{model=\"a\",le=\"1\"} 1\n",
                "rerank4j_batch_requests_bucket{model=\"a\",le=\"2\"} 1\n",
                "rerank4j_batch_requests_bucket{model=\"a\",le=\"4\"} 3\n",
                "rerank4j_batch_requests_bucket{model=\"a\",le=\"+Inf\"} 3\n",
                "rerank4j_batch_requests_sum{model=\"a\"} 7.0\n",
                "rerank4j_batch_requests_count{model=\"a\"} 3\n",
                "rerank4j_batch_inputs_bucket{model=\"a\",le=\"1024\"} 2\n",
                "rerank4j_batch_inputs_bucket{model=\"a\",le=\"4096\"} 3\n",
                "rerank4j_tokens_total{model=\"a\"} 450\n",
                "rerank4j_tokens_total{model=\"b \\\"quoted\\\"\"} 7\n",
                "rerank4j_batch_requests_count{model=\"b \\\"quoted\\\"\"} 1\n",
                "# TYPE rerank4j_batch_inputs histogram\n");
    }

    @Test
    void unknownPathsShareOneLabel() {
        Metrics m = new Metrics(Set.of("/v1/rerank"));
        m.request("/v1/rerank", 200, 0.003);
        m.request("/v1/rerank", 200, 0.2);
        m.request("/random/" + 1, 404, 0.001);
        m.request("/random/" + 2, 404, 0.001);
        String text = m.render();
        assertThat(text).contains(
                "rerank4j_http_requests_total{route=\"/v1/rerank\",status=\"200\"} 2\n",
                "rerank4j_http_requests_total{route=\"other\",status=\"404\"} 2\n",
                "rerank4j_http_request_duration_seconds_bucket{route=\"/v1/rerank\",le=\"0.005\"} 1\n",
                "rerank4j_http_request_duration_seconds_bucket{route=\"/v1/rerank\",le=\"0.25\"} 2\n",
                "rerank4j_http_request_duration_seconds_count{route=\"/v1/rerank\"} 2\n");
        assertThat(text).doesNotContain("/random");
    }
}
