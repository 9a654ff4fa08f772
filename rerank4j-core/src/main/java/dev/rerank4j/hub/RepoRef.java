package dev.rerank4j.hub;

import java.util.regex.Pattern;

/**
 * A model or dataset repository on the Hub and the revision wanted: {@code org/name} or {@code org/name@revision},
 * where the revision is a branch, a tag or a commit hash (default {@code main}).
 */
public record RepoRef(RepoType type, String repoId, String revision) {

    public static final String DEFAULT_REVISION = "main";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /** A model repository. */
    public RepoRef(String repoId, String revision) {
        this(RepoType.MODEL, repoId, revision);
    }

    public RepoRef {
        String[] parts = repoId.split("/", -1);
        if (parts.length != 2 || !validSegment(parts[0]) || !validSegment(parts[1])) {
            throw new IllegalArgumentException("'" + repoId + "' is not a Hugging Face " + type.word() + " id: "
                    + "expected org/name (letters, digits, '.', '_', '-'), e.g. "
                    + (type == RepoType.MODEL ? "jinaai/jina-reranker-v1-tiny-en" : "BeIR/scifact"));
        }
        if (revision.isBlank()) {
            throw new IllegalArgumentException("empty revision after '@' in '" + repoId + "@'");
        }
        // Revisions name files under refs/, so they must stay inside it.
        if (!REVISION.matcher(revision).matches() || revision.contains("..") || revision.endsWith("/")) {
            throw new IllegalArgumentException("'" + revision + "' is not a valid revision of " + repoId
                    + ": expected a branch, tag or commit hash (letters, digits, '.', '_', '-', '/')");
        }
    }

    /** Parses a model's {@code org/name[@revision]}. */
    public static RepoRef parse(String spec) {
        return parse(RepoType.MODEL, spec);
    }

    /** Parses {@code org/name[@revision]} naming a repository of the given type. */
    public static RepoRef parse(RepoType type, String spec) {
        int at = spec.indexOf('@');
        return at < 0
                ? new RepoRef(type, spec, DEFAULT_REVISION)
                : new RepoRef(type, spec.substring(0, at), spec.substring(at + 1));
    }

    /** The same repository at another revision. */
    public RepoRef at(String otherRevision) {
        return new RepoRef(type, repoId, otherRevision);
    }

    /** Whether {@code spec} has the shape of a Hub id (it may still not exist). */
    public static boolean looksLikeRepoId(String spec) {
        try {
            parse(spec);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean isCommitHash(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** The folder huggingface_hub keeps this repo in: {@code models--org--name} or {@code datasets--org--name}. */
    public String folderName() {
        return type.plural() + "--" + repoId.replace("/", "--");
    }

    @Override
    public String toString() {
        return revision.equals(DEFAULT_REVISION) ? repoId : repoId + "@" + revision;
    }

    // "--" separates the parts of cache folder names, so the Hub forbids it inside names; so do we.
    private static boolean validSegment(String s) {
        return SEGMENT.matcher(s).matches() && !s.contains("--") && !s.contains("..") && s.length() <= 96;
    }
}
