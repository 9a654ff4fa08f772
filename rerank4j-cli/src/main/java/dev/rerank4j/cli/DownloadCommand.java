package dev.rerank4j.cli;

import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ModelResolver;
import dev.rerank4j.hub.RepoRef;
import dev.rerank4j.hub.ResolvedModel;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "download",
        description = {"Download models from the Hugging Face Hub into the shared cache (the one Python tools use).",
                "Always asks the Hub for the revision's current commit, so it also updates a cached branch.",
                "Environment: HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE."})
final class DownloadCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "ID",
            description = "org/name or org/name@revision (branch, tag or commit); '" + BundledMiniLm.SPEC
                    + "' extracts the bundled model.")
    List<String> ids;

    @Spec
    CommandSpec spec;

    private final Supplier<HubConfig> config;

    DownloadCommand() {
        this(HubConfig::fromSystem);
    }

    DownloadCommand(Supplier<HubConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        HubConfig hub = config.get();
        ModelResolver resolver = new ModelResolver(hub, ProgressBars.forStderr());
        PrintWriter out = spec.commandLine().getOut();
        for (String id : ids) {
            ResolvedModel model = id.equals(BundledMiniLm.SPEC)
                    ? new BundledMiniLm(hub.appCache()).resolve()
                    : resolver.download(RepoRef.parse(id));
            String commit = model.commit() == null ? "" : " (commit " + model.commit() + ")";
            out.println(id + commit + ": " + model.directory());
            out.flush();
        }
        return 0;
    }
}
