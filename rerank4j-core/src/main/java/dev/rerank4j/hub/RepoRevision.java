package dev.rerank4j.hub;

import java.util.List;

/** A revision resolved by the Hub API: its commit and the paths of every file in the repo at that commit. */
record RepoRevision(String commit, List<String> files) {
}
