package dev.rerank4j.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A first stage computed elsewhere: a TREC run file, or the ranking a dataset ships. */
public final class RunFileStage implements FirstStage {
    private final String name;
    private final Run run;

    public RunFileStage(Path file) {
        this("run(" + file.getFileName() + ")", TrecRunFile.read(file));
    }

    public RunFileStage(String name, Run run) {
        this.name = name;
        this.run = run;
    }

    @Override
    public String name() {
        return name;
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
