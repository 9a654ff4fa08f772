package dev.rerank4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.tokenizer.Truncation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Hugging Face text-embeddings-inference's routes. {@code POST /rerank} answers a bare array, best first, of
 * {@code {index, score, text?}}; {@code raw_scores} gives the logit instead of its sigmoid. {@code POST /embed}
 * answers one vector per input, normalised unless {@code normalize: false}. As in TEI, an explicit
 * {@code "truncate": false} turns an over-long input into a 413; left out, the server's setting applies.
 */
final class TeiApi {
    private TeiApi() {
    }

    static CompletableFuture<JsonNode> rerank(RequestFields request, ServedModels models, ServerConfig config) {
        ModelService model = models.resolve(request.optionalString("model"));
        String query = request.nonEmptyString("query");
        List<String> texts = request.documents("texts", false, config.maxDocuments());
        boolean rawScores = request.bool("raw_scores", false);
        boolean returnText = request.bool("return_text", false);
        Optional<Boolean> truncate = request.optionalBool("truncate");
        ScoreOptions scoring = model.options(request).withTruncationDirection(direction(request));
        if (truncate.isPresent() && truncate.get()) {
            scoring = scoring.withLongDocuments(LongDocuments.TRUNCATE);
        } else if (truncate.isPresent()) {
            model.requireFits(query, texts, "texts");
        }
        return model.score(query, texts, scoring).thenApply(scores -> {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i : ModelService.order(scores, 0)) {
                PairScore s = scores.get(i);
                ObjectNode r = out.addObject();
                r.put("index", i);
                r.put("score", rawScores ? s.logit() : s.score());
                if (returnText) {
                    r.put("text", texts.get(i));
                }
            }
            return out;
        });
    }

    static CompletableFuture<JsonNode> embed(RequestFields request, ServedModels models, ServerConfig config) {
        ModelService model = models.resolveEmbedding(request.optionalString("model"), "POST /embed");
        List<String> inputs = request.texts("inputs", config.maxDocuments());
        boolean normalize = request.bool("normalize", true);
        Optional<Boolean> truncate = request.optionalBool("truncate");
        Truncation.Direction direction = direction(request);
        if (truncate.isPresent() && !truncate.get()) {
            model.requireFits(inputs, "inputs");
        }
        return model.embed(inputs, normalize, direction).thenApply(embedded -> {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (ModelService.Embedded e : embedded) {
                ArrayNode v = out.addArray();
                for (float f : e.vector()) {
                    v.add(f);
                }
            }
            return out;
        });
    }

    private static Truncation.Direction direction(RequestFields request) {
        String d = request.optionalString("truncation_direction").orElse("right");
        return switch (d.toLowerCase(Locale.ROOT)) {
            case "right" -> Truncation.Direction.RIGHT;
            case "left" -> Truncation.Direction.LEFT;
            default -> throw ApiException.validation("'truncation_direction' must be \"Left\" or \"Right\", got \"" + d
                    + "\"");
        };
    }
}
