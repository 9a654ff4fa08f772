package dev.rerank4j.api;

import dev.rerank4j.model.decoder.DecoderModel;
import dev.rerank4j.model.decoder.KvCache;
import dev.rerank4j.model.decoder.RerankPrompt;
import dev.rerank4j.model.decoder.Segment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder LLM as a reranker (Qwen3-Reranker): each pair becomes the model card's prompt, the logit is
 * {@code logit("yes") - logit("no")} at the last position (or the score head of a sequence-classification
 * checkpoint) and the score its sigmoid. Pairs with the same query share their prompt's common token prefix: it
 * is computed once and its keys and values reused, which gives the same bits as scoring each prompt whole.
 */
final class DecoderReranker implements Reranker {
    private final Engine engine;
    private final DecoderModel model;
    private final RerankPrompt prompt;

    DecoderReranker(Engine engine) {
        this.engine = engine;
        this.model = engine.decoder();
        this.prompt = new RerankPrompt(engine.tokenizer());
    }

    @Override
    public String modelId() {
        return engine.modelId();
    }

    @Override
    public int defaultMaxLength() {
        return engine.defaultMaxLength();
    }

    @Override
    public int maxPositions() {
        return engine.maxPositions();
    }

    @Override
    public List<PairScore> score(List<TextPair> pairs, ScoreOptions options) {
        if (options.longDocuments() == LongDocuments.CHUNK) {
            throw new IllegalArgumentException("long-documents mode CHUNK is not supported for decoder rerankers ("
                    + modelId() + "); use TRUNCATE or FULL");
        }
        int maxLength = options.longDocuments() == LongDocuments.FULL ? engine.maxPositions()
                : engine.maxLength(options.maxLength());
        String instruction = options.instruction() == null ? RerankPrompt.DEFAULT_INSTRUCTION : options.instruction();
        int[][] ids = new int[pairs.size()][];
        Map<String, List<Integer>> byQuery = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            TextPair p = pairs.get(i);
            ids[i] = prompt.encode(instruction, p.query(), p.document(), maxLength);
            byQuery.computeIfAbsent(p.query(), q -> new ArrayList<>()).add(i);
        }
        float[] logits = new float[pairs.size()];
        for (List<Integer> group : byQuery.values()) {
            scoreGroup(ids, group, options.batchSize(), logits);
        }
        List<PairScore> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            out.add(new PairScore(logits[i], CrossEncoderReranker.sigmoid(logits[i]), ids[i].length));
        }
        return out;
    }

    /** Prompts of one query: their common prefix once (when there are several), then each continuation. */
    private void scoreGroup(int[][] ids, List<Integer> group, int batchSize, float[] logits) {
        int cut = group.size() > 1 ? sharedPrefix(ids, group) : 0;
        KvCache past = cut > 0 ? model.prefill(java.util.Arrays.copyOf(ids[group.get(0)], cut), engine.pool())
                : KvCache.empty();
        int[] lengths = new int[group.size()];
        for (int g = 0; g < lengths.length; g++) {
            lengths[g] = ids[group.get(g)].length - cut;
        }
        for (int[] part : BatchPlanner.plan(lengths, batchSize, engine.options().maxBatchTokens())) {
            List<Segment> batch = new ArrayList<>(part.length);
            for (int g : part) {
                int[] all = ids[group.get(g)];
                batch.add(new Segment(past, java.util.Arrays.copyOfRange(all, cut, all.length)));
            }
            float[] out = model.lastLogits(batch, engine.pool());
            int n = model.outputs();
            for (int b = 0; b < part.length; b++) {
                logits[group.get(part[b])] = n == 2 ? out[2 * b] - out[2 * b + 1] : out[b];
            }
        }
    }

    /** The longest common prefix of the group's ids, leaving every prompt at least its last token to compute. */
    static int sharedPrefix(int[][] ids, List<Integer> group) {
        int[] first = ids[group.get(0)];
        int cut = first.length - 1;
        for (int i : group) {
            int[] other = ids[i];
            int limit = Math.min(cut, other.length - 1);
            int j = 0;
            while (j < limit && other[j] == first[j]) {
                j++;
            }
            cut = j;
        }
        return cut;
    }

    @Override
    public void close() {
        engine.close();
    }
}
