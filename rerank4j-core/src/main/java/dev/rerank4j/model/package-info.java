/**
 * Model families: token ids in, logits or hidden states out. The api layer ({@code dev.rerank4j.api}) and
 * everything above it see only {@link dev.rerank4j.model.Model}; each family is one subpackage that can be read
 * top to bottom next to its reference implementation.
 *
 * <pre>
 * Model          the narrow interface: logits, hidden states, limits, pooling, pair format, architecture
 * Families       the recognition table: (model_type, architectures[0]) -&gt; family; "supported: ..." errors
 * ModelSpec      what a family made of config.json: limits without weights, and load(weights)
 * ConfigFile     config.json with field readers whose errors name the file and the field
 * Batch          sequences packed without padding (starts[s] is sequence s's first row)
 * Pooling        sentence-transformers pooling (mean, CLS, max; Normalize) for bi-encoders
 * PairFormat     how a (query, document) pair becomes ids; the tokenizer's pair template by default
 * layers/        building blocks shared by families, over dev.rerank4j.kernels (attention, ALiBi)
 * bert/          BERT, JinaBERT, XLM-RoBERTa: post-LN BERT layers, their differences as BertConfig options
 * </pre>
 *
 * <h2>Adding a family</h2>
 * <ol>
 * <li>Make a package {@code model/<family>/} with a config record implementing {@link
 * dev.rerank4j.model.ModelSpec} (read it with a static {@code read(ConfigFile, Architecture)}; throw {@code
 * config.problem("...")} for what you do not support), the weights (tensor names, loaded once into the kernels'
 * layout with {@code Kernels.pack}) and a class implementing {@link dev.rerank4j.model.Model}. Keep the forward
 * pass in one file; see {@code bert/BertEncoder} for the pattern (a per-pass workspace pool instead of
 * per-call allocation, no mutable state shared between calls).</li>
 * <li>Register each supported ({@code model_type}, {@code architectures[0]}) in {@code Families.TABLE} under
 * the comment for your family, with the name users see ({@code FAMILY_CROSS_ENCODER} / {@code
 * FAMILY_BI_ENCODER}), the {@link dev.rerank4j.model.Architecture.Kind} and your config reader. Nothing else
 * registers anything: no reflection, no service loader.</li>
 * <li>{@link dev.rerank4j.model.Model#maxPositions()} is the number of tokens the model reads, not the size of
 * a table (XLM-R: {@code max_position_embeddings - 2}); truncation, chunking and the server's limits follow it.</li>
 * <li>Bi-encoders: return {@code Pooling.read(directory)} from {@link dev.rerank4j.model.Model#pooling()} and
 * hidden states from {@link dev.rerank4j.model.Model#hiddenStates}; the api layer pools and normalises.</li>
 * <li>Math that really is shared goes into {@code layers/} (or a new kernel in {@code kernels/}, in a new file or
 * a new method, following the determinism rules there); a family-specific variant stays in the family.</li>
 * </ol>
 *
 * <h2>Where the less usual families plug in</h2>
 * <ul>
 * <li>Relative positions, rotary, sliding windows (DeBERTa, ModernBERT): inside the family's forward pass;
 * the {@link dev.rerank4j.model.Batch} gives each sequence's rows, so positions restart per sequence.</li>
 * <li>Head variants (DeBERTa's ContextPooler, ModernBERT's head, mean or CLS): the family's {@code logits}.</li>
 * <li>Decoder rerankers (Qwen3): {@link dev.rerank4j.model.Model#pairFormat()} builds the prompt around query
 * and document instead of the tokenizer's pair template (chunking subtracts its {@code addedTokens}); a
 * per-call instruction belongs in {@code ScoreOptions} and is passed through {@code PairFormat}. {@code logits}
 * returns one value per sequence (e.g. the yes/no logit difference at the last token). Documents of one query
 * share a prompt prefix: the family can find the common prefix of a batch's sequences itself and compute its
 * KV cache once, without the api layer knowing.</li>
 * </ul>
 * Every output must stay a pure function of the model and that sequence's ids: never depend on the other
 * sequences of the batch, the threads or the JIT state.
 */
package dev.rerank4j.model;
