package dev.rerank4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.testing.SafetensorsWriter.Entry;
import dev.rerank4j.weights.SafetensorsSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/** Model directories derived from the xlmr-mini fixture: same weights, another layout or position table. */
public final class XlmrFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TOKENIZER_FILES = {"tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json"};

    private XlmrFixtures() {
    }

    /** The fixture's config and tokenizer files in dir, with weights rewritten by edit (null drops a tensor). */
    public static Path copy(Path dir, BiFunction<String, Entry, Entry> edit) throws IOException {
        return copy(dir, UnaryOperator.identity(), edit);
    }

    /** As {@link #copy(Path, BiFunction)}, each tensor stored under rename(its name). */
    public static Path copy(Path dir, UnaryOperator<String> rename, BiFunction<String, Entry, Entry> edit)
            throws IOException {
        Files.createDirectories(dir);
        for (String f : TOKENIZER_FILES) {
            Files.copy(Golden.XLMR_MINI.resolve(f), dir.resolve(f));
        }
        Files.copy(Golden.XLMR_MINI.resolve("config.json"), dir.resolve("config.json"));
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsSource src = SafetensorsSource.open(Golden.XLMR_MINI)) {
            for (String name : src.names()) {
                Entry e = edit.apply(name, Entry.f32(src.get(name).shape(), src.get(name).toFloats()));
                if (e != null) {
                    w.put(rename.apply(name), e);
                }
            }
        }
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }

    /** Edits the directory's config.json. */
    public static void editConfig(Path dir, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path f = dir.resolve("config.json");
        ObjectNode c = (ObjectNode) JSON.readTree(Files.readString(f));
        edit.accept(c);
        Files.writeString(f, c.toPrettyString());
    }

    /**
     * A sentence-transformers XLMRobertaModel (as multilingual-e5 and bge-m3 ship): the fixture's encoder
     * without the classifier, its tensors {@code roberta.}-prefixed or bare, pooled by mode ("mean", "cls").
     */
    public static Path biEncoder(Path dir, boolean prefixed, String mode, boolean normalize) throws IOException {
        Path d = copy(dir, prefixed ? UnaryOperator.identity() : name -> name.substring("roberta.".length()),
                (name, e) -> name.startsWith("classifier.") ? null : e);
        editConfig(d, c -> {
            c.putArray("architectures").add("XLMRobertaModel");
            c.remove("id2label");
            c.remove("label2id");
        });
        StringBuilder modules = new StringBuilder("""
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}""");
        if (normalize) {
            modules.append("""
                    ,
                     {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}""");
        }
        Files.writeString(d.resolve("modules.json"), modules.append("]").toString());
        Files.createDirectories(d.resolve("1_Pooling"));
        Files.writeString(d.resolve("1_Pooling").resolve("config.json"), "{\"word_embedding_dimension\": 96, "
                + "\"pooling_mode_cls_token\": " + mode.equals("cls") + ", \"pooling_mode_mean_tokens\": "
                + mode.equals("mean") + "}");
        Files.writeString(d.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 512, \"do_lower_case\": false}");
        return d;
    }

    /**
     * The bge-reranker-v2-m3 layout at the fixture's size: max_position_embeddings {@code positions}, the
     * fixture's position rows first and seeded random rows after them, everything else unchanged.
     */
    public static Path longPositions(Path dir, int positions) throws IOException {
        copy(dir, (name, e) -> {
            if (!name.equals("roberta.embeddings.position_embeddings.weight")) {
                return e;
            }
            int h = e.shape()[1];
            float[] table = new float[positions * h];
            java.nio.ByteBuffer.wrap(e.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(table, 0, e.shape()[0] * h);
            Random r = new Random(8194);
            for (int i = e.shape()[0] * h; i < table.length; i++) {
                table[i] = (float) (r.nextGaussian() * 0.05);
            }
            return Entry.f32(new int[] {positions, h}, table);
        });
        editConfig(dir, c -> c.put("max_position_embeddings", positions));
        Path tc = dir.resolve("tokenizer_config.json");
        ObjectNode t = (ObjectNode) JSON.readTree(Files.readString(tc));
        t.put("model_max_length", positions - 2);
        Files.writeString(tc, t.toPrettyString());
        return dir;
    }
}
