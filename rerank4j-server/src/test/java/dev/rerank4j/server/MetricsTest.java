package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Prometheus text: cumulative buckets, sums and counts, and a bounded label space. */
class MetricsTest {

    @Test
    void histogramsAreCumulativeWithSumAndCount() {
        Metrics m = new Metrics();
        m.batch(1, 10, 100);
        m.batch(3, 30, 300);
        m.batch(3, 2000, 50);
        String text = m.render();
        assertThat(text).contains(
                "rerank4j_batch_requests_bucket{le=\"1\"} 1\n",
                "rerank4j_batch_requests_bucket{le=\"2\"} 1\n",
                "rerank4j_batch_requests_bucket{le=\"4\"} 3\n",
                "rerank4j_batch_requests_bucket{le=\"+Inf\"} 3\n",
                "rerank4j_batch_requests_sum 7.0\n",
                "rerank4j_batch_requests_count 3\n",
                "rerank4j_batch_pairs_bucket{le=\"1024\"} 2\n",
                "rerank4j_batch_pairs_bucket{le=\"4096\"} 3\n",
                "rerank4j_tokens_total 450\n",
                "# TYPE rerank4j_batch_pairs histogram\n");
    }

    @Test
    void unknownPathsShareOneLabel() {
        Metrics m = new Metrics();
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
