package dev.rerank4j.eval;

import dev.rerank4j.RerankException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TREC run files: {@code query-id Q0 doc-id rank score tag}, whitespace-separated, one hit a line. */
public final class TrecRunFile {
    private TrecRunFile() {
    }

    /** Reads a run; as in trec_eval, the rank column is ignored and the scores decide the order. */
    public static Run read(Path file) {
        Map<String, List<Hit>> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cols = line.strip().split("\\s+");
                if (cols.length != 6) {
                    throw new RerankException(file + ":" + number + ": expected 6 columns (query-id Q0 doc-id rank "
                            + "score tag), got " + cols.length);
                }
                double score;
                try {
                    score = Double.parseDouble(cols[4]);
                } catch (NumberFormatException e) {
                    throw new RerankException(file + ":" + number + ": score '" + cols[4] + "' is not a number");
                }
                out.computeIfAbsent(cols[0], q -> new ArrayList<>()).add(new Hit(cols[2], score));
            }
        } catch (NoSuchFileException e) {
            throw new RerankException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return new Run(out);
    }

    /** Writes a run with ranks from 1 in trec_eval order. */
    public static void write(Path file, Run run, String tag) {
        Report.createParent(file);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (var e : run.byQuery().entrySet()) {
                int rank = 1;
                for (Hit h : e.getValue()) {
                    out.write(e.getKey() + " Q0 " + h.docId() + " " + rank++ + " " + h.score() + " " + tag + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
