package dev.rerank4j.cli;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Quantize;
import dev.rerank4j.hub.DefaultModel;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ModelResolver;
import dev.rerank4j.hub.ResolvedModel;
import picocli.CommandLine.Option;

/** Options shared by every command that loads a model. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "M",
            description = {"A model directory, a Hugging Face id (org/name[@revision]) or 'bundled'.",
                    "Default: " + DefaultModel.PREFERRED + " when cached or downloadable, else the bundled "
                            + "all-MiniLM-L6-v2."})
    String model;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--quantize", paramLabel = "none|int8", defaultValue = "none",
            description = {"int8: run a float model's linear layers as int8 (per-channel weights, per-sequence "
                    + "activations; BERT, JinaBERT, XLM-RoBERTa). Default none: exact. A quantized ONNX file "
                    + "always runs as quantized."})
    String quantize;

    /** Resolves the model (saying on stderr which one when none was named) and loads it. */
    Engine load() {
        EngineOptions options = EngineOptions.defaults();
        if (threads != null) {
            options = options.withThreads(threads);
        }
        return Engine.load(resolve(), options.withQuantize(Quantize.parse(quantize == null ? "none" : quantize)));
    }

    ResolvedModel resolve() {
        HubConfig hub = HubConfig.fromSystem();
        if (model != null) {
            return new ModelResolver(hub, ProgressBars.forStderr()).resolve(model);
        }
        DefaultModel.Choice choice = new DefaultModel(hub, ProgressBars.forStderr()).choose();
        System.err.println("rerank4j: " + choice.reason());
        return choice.model();
    }
}
