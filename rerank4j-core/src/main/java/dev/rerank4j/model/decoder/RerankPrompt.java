package dev.rerank4j.model.decoder;

import dev.rerank4j.RerankException;
import dev.rerank4j.model.PairFormat;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Tokenizer;
import dev.rerank4j.tokenizer.Truncation;
import java.util.Arrays;

/**
 * The Qwen3-Reranker model card's prompt, tokenized as the card does: system prefix, then
 * {@code <Instruct>: {instruction}\n<Query>: {query}\n<Document>: {doc}}, then the assistant suffix with an empty
 * think block, each part encoded on its own without special tokens and the ids concatenated. Over the length
 * limit the template stays whole: the body loses tokens from its end (the document, as the card's truncation
 * does), and when even the query does not fit, the document is dropped and the query truncated.
 */
public final class RerankPrompt {
    public static final String PREFIX = "<|im_start|>system\nJudge whether the Document meets the requirements based on "
            + "the Query and the Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n"
            + "<|im_start|>user\n";
    public static final String SUFFIX = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";
    public static final String DEFAULT_INSTRUCTION =
            "Given a web search query, retrieve relevant passages that answer the query";
    /** The tokens whose logits are compared, looked up in the vocabulary as the card does. */
    public static final String YES = "yes";
    public static final String NO = "no";
    /** The card's max_length. */
    public static final int DEFAULT_MAX_LENGTH = 8192;

    private final Tokenizer tokenizer;
    private final int[] prefix;
    private final int[] suffix;

    public RerankPrompt(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.prefix = ids(PREFIX);
        this.suffix = ids(SUFFIX);
    }

    /**
     * The ids of "yes" and "no" in a directory's vocabulary ({@code tokenizer.json}'s model vocabulary or added
     * tokens), read without building the tokenizer: the model needs them while loading, before the engine's
     * tokenizer exists, and building a 151k-token BPE twice doubled the load time.
     */
    public static int[] yesNoIds(java.nio.file.Path dir) {
        java.nio.file.Path file = dir.resolve("tokenizer.json");
        com.fasterxml.jackson.databind.JsonNode json;
        try {
            json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new dev.rerank4j.ModelFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        int[] out = new int[2];
        String[] tokens = {YES, NO};
        for (int i = 0; i < 2; i++) {
            com.fasterxml.jackson.databind.JsonNode id = json.path("model").path("vocab").path(tokens[i]);
            for (com.fasterxml.jackson.databind.JsonNode added : json.path("added_tokens")) {
                if (added.path("content").asText().equals(tokens[i])) {
                    id = added.path("id");
                }
            }
            if (!id.canConvertToInt()) {
                throw new dev.rerank4j.ModelFormatException(file, "no token '" + tokens[i] + "' in the vocabulary; "
                        + "a Qwen3 reranker compares the logits of 'yes' and 'no'");
            }
            out[i] = id.asInt();
        }
        return out;
    }

    public static String body(String instruction, String query, String document) {
        return "<Instruct>: " + instruction + "\n<Query>: " + query + "\n<Document>: " + document;
    }

    /** The whole prompt's ids, at most maxLength of them. */
    public int[] encode(String instruction, String query, String document, int maxLength) {
        int budget = maxLength - prefix.length - suffix.length;
        String body = body(instruction, query, document);
        Encoding enc = tokenizer.encode(body, false, Truncation.none());
        int[] bodyIds = enc.ids();
        if (bodyIds.length > budget) {
            int docStart = body.length() - document.length() - 1; // the space before the document joins it
            int head = 0;
            while (head < enc.length() && enc.end(head) <= docStart) {
                head++;
            }
            bodyIds = budget >= head ? Arrays.copyOf(bodyIds, budget) : queryTruncated(instruction, query, budget,
                    maxLength);
        }
        int[] out = new int[prefix.length + bodyIds.length + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(bodyIds, 0, out, prefix.length, bodyIds.length);
        System.arraycopy(suffix, 0, out, prefix.length + bodyIds.length, suffix.length);
        return out;
    }

    private int[] queryTruncated(String instruction, String query, int budget, int maxLength) {
        int[] before = ids("<Instruct>: " + instruction + "\n<Query>:");
        int[] after = ids("\n<Document>:");
        int room = budget - before.length - after.length;
        if (room < 1) {
            throw new RerankException("max length " + maxLength + " leaves no room for the query: the prompt "
                    + "template and instruction take " + (maxLength - room) + " tokens");
        }
        int[] q = ids(" " + query);
        int[] out = new int[before.length + Math.min(room, q.length) + after.length];
        System.arraycopy(before, 0, out, 0, before.length);
        System.arraycopy(q, 0, out, before.length, Math.min(room, q.length));
        System.arraycopy(after, 0, out, out.length - after.length, after.length);
        return out;
    }

    /** Tokens the template and an instruction take around the query's and the document's own. */
    int templateTokens(String instruction) {
        return prefix.length + ids(body(instruction, "", "")).length + suffix.length;
    }

    /** The prompt as the api layer's pair format; the instruction comes from the call (null: the default). */
    static final class Format implements PairFormat {
        private volatile RerankPrompt cached;

        private RerankPrompt prompt(Tokenizer tokenizer) {
            RerankPrompt p = cached;
            if (p == null || p.tokenizer != tokenizer) {
                p = new RerankPrompt(tokenizer);
                cached = p;
            }
            return p;
        }

        @Override
        public Encoding encode(Tokenizer tokenizer, String query, String document, Truncation truncation) {
            return encode(tokenizer, query, document, truncation, null);
        }

        @Override
        public Encoding encode(Tokenizer tokenizer, String query, String document, Truncation truncation,
                String instruction) {
            int[] ids = prompt(tokenizer).encode(instruction == null ? DEFAULT_INSTRUCTION : instruction, query,
                    document, truncation.maxLength());
            int n = ids.length;
            int[] none = new int[n];
            return new Encoding(ids, none, none, new int[2 * n], none);
        }

        @Override
        public int addedTokens(Tokenizer tokenizer) {
            return prompt(tokenizer).templateTokens(DEFAULT_INSTRUCTION);
        }
    }

    private int[] ids(String text) {
        return tokenizer.encode(text, false, Truncation.none()).ids();
    }
}
