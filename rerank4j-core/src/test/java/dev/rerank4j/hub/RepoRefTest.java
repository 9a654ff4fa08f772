package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepoRefTest {
    @Test
    void parsesIdsAndRevisions() {
        assertThat(RepoRef.parse("jinaai/jina-reranker-v1-tiny-en"))
                .isEqualTo(new RepoRef("jinaai/jina-reranker-v1-tiny-en", "main"));
        assertThat(RepoRef.parse("BAAI/bge-reranker-v2-m3@v1.0"))
                .isEqualTo(new RepoRef("BAAI/bge-reranker-v2-m3", "v1.0"));
        assertThat(RepoRef.parse("a/b@refs/pr/1").revision()).isEqualTo("refs/pr/1");
        assertThat(RepoRef.parse("jinaai/jina-reranker-v1-tiny-en").folderName())
                .isEqualTo("models--jinaai--jina-reranker-v1-tiny-en");
        assertThat(RepoRef.parse("a/b@v2").toString()).isEqualTo("a/b@v2");
        assertThat(RepoRef.parse("a/b").toString()).isEqualTo("a/b");
    }

    @Test
    void rejectsWhatTheHubRejects() {
        for (String bad : new String[] {"name-only", "a/b/c", "a//b", "-a/b", "a/b--c", "a/../b", "a/b@", "a b/c",
                "a/b@../../x", "a/b@/etc", "a/b@v1/", "a/b@x y"}) {
            assertThat(RepoRef.looksLikeRepoId(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> RepoRef.parse("a/b/c"))
                .hasMessageContaining("'a/b/c' is not a Hugging Face model id: expected org/name");
    }

    @Test
    void recognisesCommitHashes() {
        assertThat(RepoRef.isCommitHash("0123456789abcdef0123456789abcdef01234567")).isTrue();
        assertThat(RepoRef.isCommitHash("0123456789ABCDEF0123456789abcdef01234567")).isFalse();
        assertThat(RepoRef.isCommitHash("main")).isFalse();
    }

    @Test
    void encodesRevisionsWholeAndFilePathsBySegment() {
        assertThat(HubClient.encode("refs/pr/1", false)).isEqualTo("refs%2Fpr%2F1");
        assertThat(HubClient.encode("onnx/model q.onnx", true)).isEqualTo("onnx/model%20q.onnx");
        assertThat(HubClient.normalizeEtag("W/\"abc\"")).isEqualTo("abc");
        assertThat(HubClient.normalizeEtag("\"abc\"")).isEqualTo("abc");
    }
}
