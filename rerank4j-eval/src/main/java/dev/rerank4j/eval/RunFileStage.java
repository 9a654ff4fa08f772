package dev.rerank4j.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A first stage computed elsewhere, read from a TREC run file. */
public final class RunFileStage implements FirstStage {
    private final Path file;
    private final Run run;

    public RunFileStage(Path file) {
        this.file = file;
        this.run = TrecRunFile.read(file);
    }

    @Override
    public String name() {
        return "run(" + file.getFileName() + ")";
    }

    @Override
    public Run retrieve(Map<String, String> queries, int k, Progress progress) {
        Map<String, List<Hit>> out = new LinkedHashMap<>();
        for (String q : queries.keySet()) {
            List<Hit> hits = run.of(q);
            out.put(q, hits.subList(0, Math.min(k, hits.size())));
        }
        return new Run(out);
    }

    @Override
    public void close() {
    }
}
