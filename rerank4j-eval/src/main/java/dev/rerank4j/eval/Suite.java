package dev.rerank4j.eval;

import java.util.List;
import java.util.Locale;

/**
 * The collections of the Jina reranker card's evaluation that can be fetched from the Hub, each as a list of
 * dataset specs ({@link DatasetSpecs}), the split to judge and the default first stage.
 */
public enum Suite {
    /**
     * The public BEIR datasets, BeIR's Hub repos, test split. Of the card's 17, BioASQ, Signal-1M, TREC-NEWS and
     * Robust04 are not public (licences); CQADupStack is 12 sub-forums with no single BeIR repo; MS MARCO is BEIR's
     * training set, judged on dev.
     */
    BEIR("test", new FirstStageSpec.Bm25(), "of the card's 17 BEIR datasets, BioASQ, Signal-1M, TREC-NEWS and "
            + "Robust04 are not public, and CQADupStack (12 sub-forums) has no single BeIR repo",
            List.of("trec-covid", "nfcorpus", "nq", "hotpotqa", "fiqa", "arguana", "webis-touche2020", "quora",
                    "dbpedia-entity", "scidocs", "fever", "climate-fever", "scifact").stream()
                    .map(n -> "hf:BeIR/" + n).toList()),
    /**
     * NanoBEIR: 13 BEIR datasets cut to 50 queries and a small corpus each. zeta-alpha-ai's repos hold corpus,
     * queries and qrels only; sentence-transformers' {@code Nano*-bm25} copies add each query's BM25 ranking (the
     * one its CrossEncoderNanoBEIREvaluator reranks), so the suite reads those and reranks the shipped top-k.
     */
    NANOBEIR("train", new FirstStageSpec.Shipped(), "each repo's judgements (positive-corpus-ids) and its shipped "
            + "BM25 ranking (bm25-ranked-ids) as the first stage; positives BM25 missed are not added",
            List.of("NanoClimateFEVER", "NanoDBPedia", "NanoFEVER", "NanoFiQA2018", "NanoHotpotQA", "NanoMSMARCO",
                    "NanoNFCorpus", "NanoNQ", "NanoQuoraRetrieval", "NanoSCIDOCS", "NanoArguAna", "NanoSciFact",
                    "NanoTouche2020").stream().map(n -> "hf:sentence-transformers/" + n + "-bm25").toList()),
    /** The five original LoCo long-document tasks. */
    LOCO("test", new FirstStageSpec.Bm25(), "512-token models see only each document's start unless "
            + "--long-documents chunk", LocoDataset.TASKS.stream().map(t -> "loco:" + t).toList());

    private final String split;
    private final FirstStageSpec firstStage;
    private final String note;
    private final List<String> datasets;

    Suite(String split, FirstStageSpec firstStage, String note, List<String> datasets) {
        this.split = split;
        this.firstStage = firstStage;
        this.note = note;
        this.datasets = datasets;
    }

    /** The datasets and what the card has that the suite lacks, for the run's first line. */
    public String describe() {
        return "suite " + name().toLowerCase(Locale.ROOT) + " (" + datasets.size() + " datasets, split " + split
                + "): " + String.join(", ", datasets) + "; " + note;
    }

    public String split() {
        return split;
    }

    /** The first stage when the command line names none. */
    public FirstStageSpec firstStage() {
        return firstStage;
    }

    public List<String> datasets() {
        return datasets;
    }

    public static Suite parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--suite '" + name + "': expected beir, nanobeir or loco");
        }
    }
}
