package dev.rerank4j.tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer in plain Java: same ids, type ids and masks as the Rust
 * {@code tokenizers} library. Immutable and thread-safe.
 *
 * <p>Pipeline per text: added tokens are cut out of the raw text, the rest is normalized, added tokens marked
 * "normalized" are cut out of that, the remaining pieces are pre-tokenized into words, and the model turns each word
 * into ids. Truncation then applies to the model tokens, and the post-processor adds the special tokens.
 */
public final class Tokenizer {
    private final Model model;
    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final PostProcessor postProcessor;
    private final AddedVocabulary addedVocabulary;
    private final Map<String, Integer> tokenToId;
    private final String[] idToToken;
    private final int padId;
    private final OptionalInt modelMaxLength;

    Tokenizer(Components c) {
        this.model = c.model();
        this.normalizer = c.normalizer();
        this.preTokenizer = c.preTokenizer();
        this.postProcessor = c.postProcessor();
        this.addedVocabulary = new AddedVocabulary(c.addedTokens(), c.normalizer());
        Map<String, Integer> all = new HashMap<>(c.model().vocab());
        int maxId = -1;
        for (int id : all.values()) {
            maxId = Math.max(maxId, id);
        }
        for (AddedToken t : c.addedTokens()) {
            all.put(t.content(), t.id());
            maxId = Math.max(maxId, t.id());
        }
        this.tokenToId = Map.copyOf(all);
        this.idToToken = new String[maxId + 1];
        c.model().vocab().forEach((token, id) -> idToToken[id] = token);
        for (AddedToken t : c.addedTokens()) {
            idToToken[t.id()] = t.content();
        }
        this.padId = c.padId();
        this.modelMaxLength = c.modelMaxLength();
    }

    /** The parts a tokenizer is made of, as read from tokenizer.json and tokenizer_config.json. */
    record Components(Model model, TextNormalizer normalizer, PreTokenizer preTokenizer, PostProcessor postProcessor,
                      List<AddedToken> addedTokens, int padId, OptionalInt modelMaxLength) {
    }

    /** Loads {@code dir/tokenizer.json} and, when present, {@code dir/tokenizer_config.json}. */
    public static Tokenizer load(Path dir) {
        Path config = dir.resolve("tokenizer_config.json");
        return fromJson(dir.resolve("tokenizer.json"), java.nio.file.Files.isRegularFile(config) ? config : null);
    }

    public static Tokenizer fromJson(Path tokenizerJson, Path tokenizerConfigOrNull) {
        return new Tokenizer(TokenizerJson.read(tokenizerJson, tokenizerConfigOrNull));
    }

    /** Encodes one text with the post-processor's special tokens. */
    public Encoding encode(String text, Truncation truncation) {
        return encode(text, true, truncation);
    }

    public Encoding encode(String text, boolean addSpecialTokens, Truncation truncation) {
        Tokens a = encodeSequence(text);
        Tokens[] t = truncate(a, null, truncation, addSpecialTokens);
        return postProcess(t[0], null, addSpecialTokens);
    }

    /** Encodes a text pair (query, document) with the post-processor's special tokens. */
    public Encoding encodePair(String first, String second, Truncation truncation) {
        return encodePair(first, second, true, truncation);
    }

    public Encoding encodePair(String first, String second, boolean addSpecialTokens, Truncation truncation) {
        Tokens a = encodeSequence(first);
        Tokens b = encodeSequence(second);
        Tokens[] t = truncate(a, b, truncation, addSpecialTokens);
        return postProcess(t[0], t[1], addSpecialTokens);
    }

    /** Right-pads encodings to the longest one with {@link #padId()}, type id 0 and attention mask 0. */
    public BatchEncoding pad(List<Encoding> encodings) {
        int longest = 0;
        for (Encoding e : encodings) {
            longest = Math.max(longest, e.length());
        }
        int n = encodings.size();
        int[][] ids = new int[n][];
        int[][] types = new int[n][];
        int[][] mask = new int[n][];
        for (int i = 0; i < n; i++) {
            Encoding e = encodings.get(i);
            ids[i] = Arrays.copyOf(e.ids(), longest);
            types[i] = Arrays.copyOf(e.typeIds(), longest);
            mask[i] = new int[longest];
            Arrays.fill(mask[i], 0, e.length(), 1);
            Arrays.fill(ids[i], e.length(), longest, padId);
        }
        return new BatchEncoding(ids, types, mask);
    }

    /** {@code model_max_length} from tokenizer_config.json, unless absent or the "unset" sentinel. */
    public OptionalInt modelMaxLength() {
        return modelMaxLength;
    }

    public int padId() {
        return padId;
    }

    public OptionalInt tokenToId(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The token string of an id (byte-level tokens in their printable form), or null for an unused id. */
    public String idToToken(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    public int vocabSize() {
        return tokenToId.size();
    }

    /** How many special tokens the post-processor adds to a single text ({@code false}) or a pair. */
    public int specialTokenCount(boolean pair) {
        return postProcessor.specialTokenCount(pair);
    }

    /** Model tokens of one sequence: ids and {@code start, end} pairs into the original string. */
    private record Tokens(int[] ids, int[] offsets) {
        int length() {
            return ids.length;
        }

        Tokens keep(int n, Truncation.Direction direction) {
            if (n >= ids.length) {
                return this;
            }
            int from = direction == Truncation.Direction.RIGHT ? 0 : ids.length - n;
            return new Tokens(Arrays.copyOfRange(ids, from, from + n),
                    Arrays.copyOfRange(offsets, 2 * from, 2 * (from + n)));
        }
    }

    private Tokens encodeSequence(String text) {
        String s = Utf16.scrub(text);
        IntList out = new IntList(s.length() / 3 + 8);
        IntList addedAt = new IntList(4);
        IntList rawSplits = new IntList(6);
        IntList normalizedSplits = new IntList(6);
        IntList modelOut = new IntList(32);
        List<Normalized> words = new ArrayList<>();
        addedVocabulary.splitRaw(s, rawSplits);
        Normalized whole = Normalized.of(s);
        for (int k = 0; k < rawSplits.size(); k += 3) {
            int from = rawSplits.get(k);
            int to = rawSplits.get(k + 1);
            int added = rawSplits.get(k + 2);
            if (added >= 0) {
                addedAt.add(out.size() / 3);
                out.add(added, from, to);
                continue;
            }
            if (from == to) {
                continue;
            }
            Normalized n = whole.slice(from, to);
            if (normalizer != null) {
                n = normalizer.normalize(n);
            }
            addedVocabulary.splitNormalized(n.text, normalizedSplits);
            for (int j = 0; j < normalizedSplits.size(); j += 3) {
                int a = normalizedSplits.get(j);
                int b = normalizedSplits.get(j + 1);
                int id = normalizedSplits.get(j + 2);
                if (id >= 0) {
                    addedAt.add(out.size() / 3);
                    out.add(id, n.originalStartOf(a, b), n.originalEndOf(a, b));
                    continue;
                }
                if (a == b) {
                    continue;
                }
                Normalized part = n.slice(a, b);
                words.clear();
                if (preTokenizer == null) {
                    words.add(part);
                } else {
                    preTokenizer.split(part, words);
                }
                for (Normalized w : words) {
                    if (w.isEmpty()) {
                        continue;
                    }
                    modelOut.clear();
                    model.tokenize(w.text, modelOut);
                    for (int m = 0; m < modelOut.size(); m += 3) {
                        int ts = modelOut.get(m + 1);
                        int te = modelOut.get(m + 2);
                        out.add(modelOut.get(m), w.originalStartOf(ts, te), w.originalEndOf(ts, te));
                    }
                }
            }
        }
        int count = out.size() / 3;
        int[] ids = new int[count];
        int[] offsets = new int[2 * count];
        for (int i = 0; i < count; i++) {
            ids[i] = out.get(3 * i);
            offsets[2 * i] = out.get(3 * i + 1);
            offsets[2 * i + 1] = out.get(3 * i + 2);
        }
        if (postProcessor.trim() != PostProcessor.OffsetTrim.NONE) {
            boolean[] added = new boolean[count];
            for (int k = 0; k < addedAt.size(); k++) {
                added[addedAt.get(k)] = true;
            }
            trimOffsets(s, ids, added, offsets);
        }
        return new Tokens(ids, offsets);
    }

    /** Hugging Face's {@code truncate_encodings}, with the length budget reduced by the special tokens to come. */
    private Tokens[] truncate(Tokens a, Tokens b, Truncation t, boolean addSpecialTokens) {
        if (t.isNone()) {
            return new Tokens[] {a, b};
        }
        int added = addSpecialTokens ? postProcessor.specialTokenCount(b != null) : 0;
        if (t.maxLength() < added) {
            throw new IllegalArgumentException("truncation max length " + t.maxLength() + " is below the "
                    + added + " special tokens the post-processor adds");
        }
        int max = t.maxLength() - added;
        if (max == 0) {
            // Room for the special tokens only: every strategy empties both sequences, without complaint.
            return new Tokens[] {a.keep(0, t.direction()), b == null ? null : b.keep(0, t.direction())};
        }
        int total = a.length() + (b == null ? 0 : b.length());
        if (total <= max) {
            return new Tokens[] {a, b};
        }
        int toRemove = total - max;
        Truncation.Direction dir = t.direction();
        switch (t.strategy()) {
            case LONGEST_FIRST -> {
                if (b == null) {
                    return new Tokens[] {a.keep(max, dir), null};
                }
                int n1 = a.length();
                int n2 = b.length();
                boolean swap = n1 > n2;
                if (swap) {
                    int tmp = n1;
                    n1 = n2;
                    n2 = tmp;
                }
                n2 = n1 > max ? n1 : Math.max(n1, max - n1);
                if (n1 + n2 > max) {
                    n1 = max / 2;
                    n2 = n1 + max % 2;
                }
                if (swap) {
                    int tmp = n1;
                    n1 = n2;
                    n2 = tmp;
                }
                return new Tokens[] {a.keep(n1, dir), b.keep(n2, dir)};
            }
            case ONLY_FIRST, ONLY_SECOND -> {
                boolean first = t.strategy() == Truncation.Strategy.ONLY_FIRST;
                if (!first && b == null) {
                    throw new IllegalArgumentException("ONLY_SECOND truncation needs a text pair");
                }
                Tokens target = first ? a : b;
                if (target.length() <= toRemove) {
                    throw new IllegalArgumentException("cannot truncate to " + t.maxLength() + " tokens: the "
                            + (first ? "first" : "second") + " sequence has only " + target.length() + " tokens and "
                            + toRemove + " must go");
                }
                Tokens cut = target.keep(target.length() - toRemove, dir);
                return first ? new Tokens[] {cut, b} : new Tokens[] {a, cut};
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Lays the sequences out as the post-processor's template says. The template decides order and type ids even
     * without special tokens (RobertaProcessing types everything 0); with no template, the second text is typed 1.
     */
    private Encoding postProcess(Tokens a, Tokens b, boolean addSpecialTokens) {
        List<PostProcessor.Item> template = b == null ? postProcessor.single() : postProcessor.pair();
        if (template == null) {
            template = b == null ? PostProcessor.PLAIN_SINGLE : PostProcessor.PLAIN_PAIR;
        }
        Tokens[] seqs = {a, b};
        int length = 0;
        for (PostProcessor.Item item : template) {
            if (item.specialIds() == null) {
                length += seqs[item.sequence()].length();
            } else if (addSpecialTokens) {
                length += item.specialIds().length;
            }
        }
        int[] ids = new int[length];
        int[] types = new int[length];
        int[] special = new int[length];
        int[] offsets = new int[2 * length];
        int[] sequenceIds = new int[length];
        int pos = 0;
        for (PostProcessor.Item item : template) {
            if (item.specialIds() == null) {
                pos = copy(seqs[item.sequence()], item.sequence(), item.typeId(), ids, types, offsets, sequenceIds,
                        pos);
            } else if (addSpecialTokens) {
                for (int id : item.specialIds()) {
                    ids[pos] = id;
                    types[pos] = item.typeId();
                    special[pos] = 1;
                    sequenceIds[pos] = -1;
                    pos++;
                }
            }
        }
        return new Encoding(ids, types, special, offsets, sequenceIds);
    }

    private static int copy(Tokens t, int sequence, int typeId, int[] ids, int[] types, int[] offsets,
                            int[] sequenceIds, int pos) {
        System.arraycopy(t.ids(), 0, ids, pos, t.length());
        System.arraycopy(t.offsets(), 0, offsets, 2 * pos, 2 * t.length());
        Arrays.fill(types, pos, pos + t.length(), typeId);
        Arrays.fill(sequenceIds, pos, pos + t.length(), sequence);
        return pos + t.length();
    }

    /**
     * Byte-level offsets leave out the spaces a token starts or ends with, as Hugging Face's post-processors do. The
     * spaces are counted in the token's string: the vocabulary entry, or for an added token the text it matched
     * (which includes what lstrip/rstrip took).
     */
    private void trimOffsets(String text, int[] ids, boolean[] added, int[] offsets) {
        boolean keepPrefixSpace = postProcessor.trim() == PostProcessor.OffsetTrim.TRIM_KEEPING_PREFIX_SPACE;
        for (int i = 0; i < ids.length; i++) {
            int s = offsets[2 * i];
            int e = offsets[2 * i + 1];
            String token = added[i] ? text.substring(s, e) : idToToken(ids[i]);
            if (token == null) {
                continue;
            }
            int lead = 0;
            while (lead < token.length() && isSpace(token.charAt(lead))) {
                lead++;
            }
            int trail = 0;
            while (trail < token.length() && isSpace(token.charAt(token.length() - 1 - trail))) {
                trail++;
            }
            if (lead > 0) {
                boolean first = i == 0 || s == 0;
                if (!(first && keepPrefixSpace && lead == 1)) {
                    s = Math.min(s + lead, e);
                }
            }
            if (trail > 0 && e >= trail) {
                e = Math.max(e - trail, s);
            }
            offsets[2 * i] = s;
            offsets[2 * i + 1] = e;
        }
    }

    private static boolean isSpace(char c) {
        return c == ByteLevel.BYTE_TO_CHAR[' '] || Chars.isWhiteSpace(c);
    }
}
