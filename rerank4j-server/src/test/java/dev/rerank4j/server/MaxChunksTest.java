package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cohere's max_chunks_per_doc on a server that chunks long documents: the first windows only, as the library. */
class MaxChunksTest {
    static final String QUERY = "Which animals sleep during the day?";
    static final int MAX_LENGTH = 40;
    static TestServer t;
    static Engine library;
    static String document;

    @BeforeAll
    static void start() {
        t = TestServer.start(TestServer.config().maxLength(MAX_LENGTH).longDocuments(LongDocuments.CHUNK));
        library = TestServer.loadModel();
        List<String> animals = List.of("Owls", "Bats", "Foxes", "Possums");
        document = IntStream.range(0, 16).mapToObj(i -> animals.get(i % 4) + " of group " + i + " sleep until dusk.")
                .collect(Collectors.joining(" "));
    }

    @AfterAll
    static void stop() {
        t.close();
        library.reranker().close();
    }

    static PairScore expected(int maxChunks) {
        ScoreOptions options = ScoreOptions.defaults().withMaxLength(MAX_LENGTH).withLongDocuments(LongDocuments.CHUNK)
                .withMaxChunks(maxChunks);
        return library.reranker().score(List.of(new TextPair(QUERY, document)), options).get(0);
    }

    static double served(String route, Integer maxChunks) {
        ObjectNode body = TestServer.JSON.createObjectNode().put("query", QUERY);
        body.putArray("documents").add(document);
        if (maxChunks != null) {
            body.put("max_chunks_per_doc", maxChunks);
        }
        TestServer.Response r = t.post(route, body.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results).hasSize(1);
        return results.get(0).get("relevance_score").asDouble();
    }

    @Test
    void bothCohereRoutesScoreOnlyTheFirstWindows() {
        PairScore all = expected(0);
        PairScore one = expected(1);
        PairScore three = expected(3);
        // The random-weight model scores the windows differently, so the caps are told apart.
        assertThat(one.score()).isNotEqualTo(all.score());
        assertThat(one.tokens()).isLessThan(three.tokens());
        for (String route : List.of("/v1/rerank", "/v2/rerank")) {
            assertThat(served(route, null)).as(route).isEqualTo(all.score());
            assertThat(served(route, 1)).as(route).isEqualTo(one.score());
            assertThat(served(route, 3)).as(route).isEqualTo(three.score());
        }
    }
}
