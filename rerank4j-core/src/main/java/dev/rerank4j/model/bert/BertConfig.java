package dev.rerank4j.model.bert;

import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Architecture;
import dev.rerank4j.model.ConfigFile;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.ModelSpec;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.model.layers.Linears;
import dev.rerank4j.weights.TensorSource;
import java.nio.file.Path;

/**
 * The hyper-parameters of a post-LN BERT-layer encoder from a Hugging Face {@code config.json}. BERT, JinaBERT
 * and XLM-RoBERTa differ only in the options below.
 *
 * @param alibi symmetric ALiBi attention biases instead of a position-embedding table (JinaBERT)
 * @param positionOffset position id of a sequence's first token: 0 for BERT; {@code pad_token_id + 1} for
 *     RoBERTa models, whose position ids count from the padding row ({@code cumsum(mask) * mask + padding_idx})
 * @param head how the first token's state becomes logits
 * @param weightPrefix the name the encoder's tensors are nested under in task checkpoints ({@code bert.},
 *     {@code roberta.}); bare base-model exports have none
 * @param numLabels classifier outputs; -1 when the config does not say (JinaBERT) and the weights must tell
 */
public record BertConfig(
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        float layerNormEps,
        Activation hiddenAct,
        boolean alibi,
        FeedForward feedForward,
        int positionOffset,
        Head head,
        String weightPrefix,
        int numLabels,
        int padTokenId) implements ModelSpec {

    /** Classification heads on the first token's hidden state. */
    public enum Head {
        /** BERT: {@code classifier(tanh(pooler.dense(h0)))}. */
        POOLER_CLASSIFIER,
        /** RoBERTa: {@code classifier.out_proj(tanh(classifier.dense(h0)))}, no pooler. */
        ROBERTA_CLASSIFIER
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    @Override
    public int maxPositions() {
        return maxPositionEmbeddings - positionOffset;
    }

    @Override
    public Model load(Path directory, TensorSource tensors, Kernels kernels) {
        return load(directory, tensors, kernels, false);
    }

    @Override
    public Model load(Path directory, TensorSource tensors, Kernels kernels, boolean int8) {
        boolean cross = architecture.isCrossEncoder();
        BertWeights weights = BertWeights.load(tensors, this, cross, new Linears(kernels, tensors.origin(), int8));
        return new BertEncoder(directory, this, weights, kernels, cross ? null : Pooling.read(directory));
    }

    /** Reads a {@code bert} (BERT, JinaBERT) or {@code xlm-roberta} config. */
    public static BertConfig read(ConfigFile c, Architecture architecture) {
        boolean roberta = c.modelType().equals("xlm-roberta");
        String positions = c.textOr("position_embedding_type", "absolute");
        // ALiBi is JinaBERT's; RoBERTa checkpoints always carry a position table.
        boolean alibi = positions.equals("alibi") && !roberta;
        if (!alibi && !positions.equals("absolute")) {
            throw c.problem("unsupported position_embedding_type '" + positions + "'; supported: absolute"
                    + (roberta ? "" : ", alibi"));
        }
        String ff = c.textOr("feed_forward_type", alibi ? "geglu" : "original");
        FeedForward feedForward = switch (ff) {
            case "original" -> FeedForward.MLP;
            case "geglu" -> FeedForward.GEGLU;
            case "reglu" -> FeedForward.REGLU;
            default -> throw c.problem("unsupported feed_forward_type '" + ff + "'; supported: original, geglu, reglu");
        };
        Activation act;
        try {
            act = Activation.fromConfig(c.textOr("hidden_act", "gelu"));
        } catch (IllegalArgumentException e) {
            throw c.problem(e.getMessage());
        }
        int hidden = c.positiveInt("hidden_size");
        int heads = c.positiveInt("num_attention_heads");
        if (hidden % heads != 0) {
            throw c.problem("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        int numLabels = c.has("num_labels") ? c.intOr("num_labels", -1)
                : c.has("id2label") ? c.json().get("id2label").size() : -1;
        int pad = c.intOr("pad_token_id", roberta ? 1 : 0);
        int maxPositions = c.positiveInt("max_position_embeddings");
        int offset = roberta ? pad + 1 : 0;
        if (maxPositions <= offset) {
            throw c.problem("max_position_embeddings " + maxPositions + " leaves no position for tokens: "
                    + "RoBERTa position ids start at pad_token_id + 1 = " + offset);
        }
        return new BertConfig(architecture,
                c.positiveInt("vocab_size"), hidden,
                c.positiveInt("num_hidden_layers"), heads,
                c.positiveInt("intermediate_size"),
                maxPositions,
                c.intOr("type_vocab_size", 2),
                (float) c.doubleOr("layer_norm_eps", 1e-12),
                act, alibi, feedForward, offset,
                roberta ? Head.ROBERTA_CLASSIFIER : Head.POOLER_CLASSIFIER,
                roberta ? "roberta." : "bert.",
                numLabels, pad);
    }
}
