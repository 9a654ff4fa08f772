package dev.rerank4j.hub;

/**
 * Dataset cards ({@code README.md} front matter) in the layouts the real Hub repos use, for the tests of every
 * module, checked against the cards
 * published on the Hub: {@code BeIR/scifact} (corpus and queries configs), {@code BeIR/scifact-qrels} (split TSVs),
 * {@code zeta-alpha-ai/NanoSciFact} (corpus, qrels and queries configs, split train) and
 * {@code sentence-transformers/NanoSciFact-bm25} (corpus, queries and relevance configs, split train).
 */
public final class DatasetCards {
    public static final String BEIR = """
            ---
            language:
            - en
            configs:
            - config_name: corpus
              data_files:
              - split: corpus
                path: corpus/corpus-*
            - config_name: queries
              data_files:
              - split: queries
                path: queries/queries-*
            ---
            # SciFact (BEIR)
            """;
    public static final String BEIR_QRELS = """
            ---
            configs:
            - config_name: default
              data_files:
              - split: train
                path: train.tsv
              - split: test
                path: test.tsv
            ---
            """;
    public static final String NANOBEIR = """
            ---
            configs:
            - config_name: corpus
              data_files:
              - split: train
                path: corpus/train-*
            - config_name: qrels
              data_files:
              - split: train
                path: qrels/train-*
            - config_name: queries
              data_files:
              - split: train
                path: queries/train-*
            ---
            """;
    public static final String NANOBEIR_BM25 = """
            ---
            configs:
            - config_name: corpus
              data_files:
              - split: train
                path: corpus/train-*
            - config_name: queries
              data_files:
              - split: train
                path: queries/train-*
            - config_name: relevance
              data_files:
              - split: train
                path: relevance/train-*
            ---
            # NanoBEIR with BM25 rankings
            """;

    private DatasetCards() {
    }
}
