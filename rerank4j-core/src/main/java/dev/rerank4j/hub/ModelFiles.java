package dev.rerank4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Which files of a model repo rerank4j needs, and whether a folder already has them. */
final class ModelFiles {
    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    static final String SAFETENSORS = "model.safetensors";
    static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    static final String ONNX = "onnx/model.onnx";

    /** Small files worth having when the repo has them, in the order they are fetched. */
    private static final List<String> OPTIONAL = List.of(
            "tokenizer_config.json", "special_tokens_map.json",
            "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json");
    /** sentence-transformers module folders such as 1_Pooling hold their settings in config.json. */
    private static final Pattern MODULE_CONFIG = Pattern.compile("\\d+_[A-Za-z]+/config\\.json");

    private ModelFiles() {
    }

    /**
     * What to fetch from a repo holding {@code repoFiles}: the small files first, then the weights, so that a
     * snapshot holding weights also holds everything else (the cache check relies on it).
     *
     * @param smallFiles config, tokenizer and module files
     * @param weights    {@link #SAFETENSORS}, {@link #SAFETENSORS_INDEX} (then its shards) or {@link #ONNX}
     */
    record Plan(List<String> smallFiles, String weights) {
    }

    static Plan plan(RepoRef repo, String commit, List<String> repoFiles) {
        Set<String> present = Set.copyOf(repoFiles);
        String where = repo.repoId() + " at commit " + commit;
        if (!present.contains(CONFIG)) {
            throw unsupported(where, "has no config.json, so it is not a transformers model", repoFiles);
        }
        if (!present.contains(TOKENIZER)) {
            throw unsupported(where, "has no tokenizer.json (rerank4j reads the fast-tokenizer file)", repoFiles);
        }
        String weights;
        if (present.contains(SAFETENSORS)) {
            weights = SAFETENSORS;
        } else if (present.contains(SAFETENSORS_INDEX)) {
            weights = SAFETENSORS_INDEX;
        } else if (present.contains(ONNX)) {
            weights = ONNX;
        } else {
            throw unsupported(where, "has no model.safetensors, sharded safetensors or onnx/model.onnx", repoFiles);
        }
        Set<String> small = new LinkedHashSet<>(List.of(CONFIG, TOKENIZER));
        OPTIONAL.stream().filter(present::contains).forEach(small::add);
        repoFiles.stream().filter(f -> MODULE_CONFIG.matcher(f).matches()).sorted().forEach(small::add);
        return new Plan(List.copyOf(small), weights);
    }

    /** The shard files a {@code model.safetensors.index.json} names, each once, in order of first mention. */
    static List<String> shards(Path index) {
        JsonNode weightMap;
        try {
            weightMap = new ObjectMapper().readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new ModelFormatException(index, "not valid JSON: " + e.getMessage(), e);
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new ModelFormatException(index, "no \"weight_map\" object naming the shard files");
        }
        Set<String> shards = new LinkedHashSet<>();
        for (JsonNode file : weightMap) {
            String name = file.asText();
            if (name.isEmpty() || name.startsWith("/") || name.contains("..")) {
                throw new ModelFormatException(index, "weight_map names an invalid shard file '" + name + "'");
            }
            shards.add(name);
        }
        return List.copyOf(shards);
    }

    /** What {@code dir} lacks to be loaded; empty when it is complete. Dangling symlinks count as missing. */
    static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String required : List.of(CONFIG, TOKENIZER)) {
            if (!Files.isRegularFile(dir.resolve(required))) {
                missing.add(required);
            }
        }
        if (Files.isRegularFile(dir.resolve(SAFETENSORS)) || Files.isRegularFile(dir.resolve(ONNX))) {
            return missing;
        }
        Path index = dir.resolve(SAFETENSORS_INDEX);
        if (Files.isRegularFile(index)) {
            shards(index).stream().filter(s -> !Files.isRegularFile(dir.resolve(s))).forEach(missing::add);
        } else {
            missing.add(SAFETENSORS + " (or " + SAFETENSORS_INDEX + " and its shards, or " + ONNX + ")");
        }
        return missing;
    }

    private static HubException unsupported(String where, String problem, List<String> repoFiles) {
        return new HubException(HubException.Kind.UNSUPPORTED,
                where + " " + problem + "; its files: " + String.join(", ", repoFiles));
    }
}
