package dev.rerank4j.tokenizer;

import java.util.List;

/**
 * Adds special tokens around one or two encoded sequences and assigns type ids. Every supported Hugging Face
 * post-processor is a template: RobertaProcessing is {@code <s> A </s>} / {@code <s> A </s> </s> B </s>} with all
 * type ids 0, BertProcessing the same shape with B typed 1, ByteLevel adds nothing.
 *
 * @param single      template for one sequence, null when the processor adds nothing
 * @param pair        template for two sequences, null when the processor adds nothing
 * @param trim        whether offsets of byte-level tokens exclude the spaces they start or end with
 */
record PostProcessor(List<Item> single, List<Item> pair, OffsetTrim trim) {

    /** Byte-level offset trimming (trim_offsets), and whether a first token keeps the one space add_prefix_space put. */
    enum OffsetTrim {
        NONE, TRIM, TRIM_KEEPING_PREFIX_SPACE;

        static OffsetTrim of(boolean trimOffsets, boolean addPrefixSpace) {
            return !trimOffsets ? NONE : addPrefixSpace ? TRIM_KEEPING_PREFIX_SPACE : TRIM;
        }
    }

    /** A template element: special token ids, or the tokens of sequence 0 (A) or 1 (B). */
    record Item(int[] specialIds, int sequence, int typeId) {
        static Item special(int[] ids, int typeId) {
            return new Item(ids, -1, typeId);
        }

        static Item sequence(int which, int typeId) {
            return new Item(null, which, typeId);
        }
    }

    static final PostProcessor NONE = new PostProcessor(null, null, OffsetTrim.NONE);
    /** The layout without a template: the texts in order, the second typed 1. */
    static final List<Item> PLAIN_SINGLE = List.of(Item.sequence(0, 0));
    static final List<Item> PLAIN_PAIR = List.of(Item.sequence(0, 0), Item.sequence(1, 1));

    static PostProcessor roberta(int cls, int sep, OffsetTrim trim) {
        int[] c = {cls};
        int[] s = {sep};
        return new PostProcessor(
                List.of(Item.special(c, 0), Item.sequence(0, 0), Item.special(s, 0)),
                List.of(Item.special(c, 0), Item.sequence(0, 0), Item.special(s, 0), Item.special(s, 0),
                        Item.sequence(1, 0), Item.special(s, 0)),
                trim);
    }

    static PostProcessor bert(int cls, int sep) {
        int[] c = {cls};
        int[] s = {sep};
        return new PostProcessor(
                List.of(Item.special(c, 0), Item.sequence(0, 0), Item.special(s, 0)),
                List.of(Item.special(c, 0), Item.sequence(0, 0), Item.special(s, 0), Item.sequence(1, 1),
                        Item.special(s, 1)),
                OffsetTrim.NONE);
    }

    /** Number of special tokens the processor adds to a single text or to a pair. */
    int specialTokenCount(boolean forPair) {
        List<Item> template = forPair ? pair : single;
        if (template == null) {
            return 0;
        }
        int n = 0;
        for (Item item : template) {
            n += item.specialIds() == null ? 0 : item.specialIds().length;
        }
        return n;
    }

    /** Composes processors applied one after the other (a Hugging Face Sequence). */
    static PostProcessor sequence(List<PostProcessor> steps) {
        List<Item> single = null;
        List<Item> pair = null;
        OffsetTrim trim = OffsetTrim.NONE;
        for (PostProcessor p : steps) {
            if (trim == OffsetTrim.NONE) {
                trim = p.trim;
            }
            if (p.single != null) {
                if (single != null) {
                    throw new IllegalArgumentException("a Sequence post-processor with two templates is not supported");
                }
                single = p.single;
                pair = p.pair;
            }
        }
        return new PostProcessor(single, pair, trim);
    }
}
