package dev.rerank4j.eval;

/** One corpus entry of a BEIR dataset. */
public record Document(String id, String title, String text) {

    /** What first stages index and rerankers read: title and text joined by a space, as BEIR feeds them. */
    public String contents() {
        return title.isEmpty() ? text : (title + " " + text).strip();
    }
}
