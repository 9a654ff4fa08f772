package dev.rerank4j.cli;

import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.hub.HubCache;
import dev.rerank4j.hub.HubConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "models", description = {"List the models in the Hugging Face cache: revisions, commits, disk use,",
        "and whether rerank4j can load them; and the bundled model."})
final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Supplier<HubConfig> config;

    ModelsCommand() {
        this(HubConfig::fromSystem);
    }

    ModelsCommand(Supplier<HubConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() throws IOException {
        HubConfig hub = config.get();
        PrintWriter out = spec.commandLine().getOut();
        List<HubCache.CachedRepo> repos = new HubCache(hub.hubCache()).list();
        out.println("Hugging Face cache: " + hub.hubCache() + (repos.isEmpty() ? " (no models)" : ""));
        for (HubCache.CachedRepo repo : repos) {
            out.printf(Locale.ROOT, "  %-48s %10s%n", repo.repoId(), size(repo.bytes()));
            for (HubCache.CachedSnapshot snapshot : repo.snapshots()) {
                String refs = snapshot.refs().isEmpty() ? "" : String.join(", ", snapshot.refs()) + " -> ";
                String state = snapshot.loadable() ? "ready"
                        : "incomplete: run rerank4j download " + repo.repoId() + "@" + snapshot.commit();
                out.printf(Locale.ROOT, "    %s%s  %s%n", refs, snapshot.commit(), state);
            }
        }
        BundledMiniLm bundled = new BundledMiniLm(hub.appCache());
        if (!bundled.available()) {
            out.println("Bundled model: not in this build");
        } else if (Files.isDirectory(bundled.directory())) {
            out.println("Bundled model: " + BundledMiniLm.MODEL_ID + " at " + bundled.directory() + " ("
                    + size(treeBytes(bundled.directory())) + ")");
        } else {
            out.println("Bundled model: " + BundledMiniLm.MODEL_ID + " (extracted to " + bundled.directory()
                    + " on first use)");
        }
        out.flush();
        return 0;
    }

    private static long treeBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
