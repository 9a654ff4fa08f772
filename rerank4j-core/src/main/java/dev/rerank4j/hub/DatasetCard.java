package dev.rerank4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rerank4j.RerankException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a dataset repo's card ({@code README.md}) declares in its YAML front matter under {@code configs}: each
 * configuration's data files by split, as glob patterns relative to the repo root. This is how the Hub and the
 * {@code datasets} library find a dataset's files, e.g. BeIR's {@code corpus: corpus/corpus-*}.
 *
 * @param configs configuration name to (split to patterns), in card order; empty when the card declares none
 */
public record DatasetCard(Map<String, Map<String, List<String>>> configs) {
    public static final String FILE = "README.md";
    /** The split the {@code datasets} library assumes when {@code data_files} names none. */
    private static final String DEFAULT_SPLIT = "train";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Data files worth fetching from a repo whose card declares no configs, as older revisions are. */
    private static final List<String> DATA_SUFFIXES = List.of(".parquet", ".jsonl", ".jsonl.gz", ".json.gz",
            ".tsv", ".tsv.gz");

    public DatasetCard {
        configs = Map.copyOf(configs);
    }

    public static final DatasetCard NONE = new DatasetCard(Map.of());

    /** Reads the card in {@code file}; a missing file is a card without configs. */
    public static DatasetCard read(Path file) {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    static DatasetCard parse(String card, String where) {
        String text = card.replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            return NONE;
        }
        int end = text.indexOf("\n---", 3);
        if (end < 0) {
            throw new RerankException(where + ": the YAML front matter opened by '---' is never closed");
        }
        JsonNode root;
        try {
            root = YAML.readTree(text.substring(4, end));
        } catch (IOException e) {
            throw new RerankException(where + ": the card's YAML front matter is not valid YAML: " + e.getMessage());
        }
        Map<String, Map<String, List<String>>> configs = new LinkedHashMap<>();
        if (root == null || !root.path("configs").isArray()) {
            return NONE;
        }
        for (JsonNode config : root.path("configs")) {
            String name = config.path("config_name").asText("default");
            configs.put(name, splits(config.path("data_files"), where + ": config '" + name + "'"));
        }
        return new DatasetCard(configs);
    }

    /** {@code data_files} is a pattern, a list of patterns, or a list of {@code {split, path}} entries. */
    private static Map<String, List<String>> splits(JsonNode dataFiles, String where) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (dataFiles.isTextual()) {
            out.put(DEFAULT_SPLIT, List.of(dataFiles.asText()));
            return out;
        }
        if (!dataFiles.isArray()) {
            throw new RerankException(where + ": data_files must be a pattern or a list, got " + dataFiles);
        }
        for (JsonNode entry : dataFiles) {
            if (entry.isTextual()) {
                out.computeIfAbsent(DEFAULT_SPLIT, s -> new ArrayList<>()).add(entry.asText());
                continue;
            }
            String split = entry.path("split").asText(DEFAULT_SPLIT);
            JsonNode path = entry.path("path");
            List<String> patterns = out.computeIfAbsent(split, s -> new ArrayList<>());
            if (path.isTextual()) {
                patterns.add(path.asText());
            } else if (path.isArray()) {
                path.forEach(p -> patterns.add(p.asText()));
            } else {
                throw new RerankException(where + ": split '" + split + "' has no path");
            }
        }
        return out;
    }

    /** The files of one configuration, every split, among {@code repoFiles}. */
    public Optional<List<String>> files(String config, Collection<String> repoFiles) {
        Map<String, List<String>> splits = configs.get(config);
        if (splits == null) {
            return Optional.empty();
        }
        List<String> patterns = new ArrayList<>();
        splits.values().forEach(patterns::addAll);
        return Optional.of(matching(patterns, repoFiles));
    }

    /** The files of one split of a configuration among {@code repoFiles}, if the card declares that split. */
    public Optional<List<String>> files(String config, String split, Collection<String> repoFiles) {
        List<String> patterns = configs.getOrDefault(config, Map.of()).get(split);
        return patterns == null ? Optional.empty() : Optional.of(matching(patterns, repoFiles));
    }

    /**
     * What to download of a repo holding {@code repoFiles}: every file a configuration names, or, when the card
     * declares none, every data file (Parquet, JSON Lines, TSV, plain or gzipped).
     */
    public List<String> dataFiles(Collection<String> repoFiles) {
        if (configs.isEmpty()) {
            return repoFiles.stream().filter(f -> DATA_SUFFIXES.stream().anyMatch(f::endsWith)).sorted().toList();
        }
        List<String> patterns = new ArrayList<>();
        configs.values().forEach(splits -> splits.values().forEach(patterns::addAll));
        return matching(patterns, repoFiles);
    }

    /** Whether every pattern of the card matches one of {@code files}: what a complete snapshot must hold. */
    public boolean coveredBy(Collection<String> files) {
        if (configs.isEmpty()) {
            return !dataFiles(files).isEmpty();
        }
        return configs.values().stream().flatMap(splits -> splits.values().stream()).flatMap(List::stream)
                .allMatch(p -> !matching(List.of(p), files).isEmpty());
    }

    /** Glob matching as the Hub does it: {@code *} stays within a folder, {@code **} crosses folders. */
    static List<String> matching(List<String> patterns, Collection<String> files) {
        List<PathMatcher> matchers = patterns.stream()
                .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        Set<String> seen = new TreeSet<>();
        for (String f : files) {
            Path path = Path.of(f);
            if (matchers.stream().anyMatch(m -> m.matches(path))) {
                seen.add(f);
            }
        }
        return List.copyOf(seen);
    }
}
