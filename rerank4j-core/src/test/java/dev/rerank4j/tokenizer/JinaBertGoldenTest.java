package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jinabert-mini tokenizer reproduces the input_ids recorded with Hugging Face tokenizers in golden.jsonl. */
class JinaBertGoldenTest {

    @Test
    void everyGoldenPairEncodesToTheRecordedIds() throws IOException {
        Tokenizer tokenizer = Tokenizer.load(TestTokenizers.JINABERT_DIR);
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = Files.readAllLines(TestTokenizers.JINABERT_DIR.resolve("golden.jsonl"));
        assertThat(lines).hasSize(22);
        int longest = 0;
        for (String line : lines) {
            JsonNode g = mapper.readTree(line);
            Encoding e = tokenizer.encodePair(g.get("query").asText(), g.get("document").asText(), Truncation.none());
            assertThat(e.ids()).as(g.get("id").asText()).containsExactly(ints(g.get("input_ids")));
            assertThat(e.typeIds()).as(g.get("id").asText()).containsExactly(ints(g.get("token_type_ids")));
            longest = Math.max(longest, e.length());
        }
        assertThat(longest).isEqualTo(8174);
    }

    @Test
    void configAndSpecialTokensAreRead() {
        Tokenizer tokenizer = Tokenizer.load(TestTokenizers.JINABERT_DIR);
        assertThat(tokenizer.modelMaxLength()).hasValue(8192);
        assertThat(tokenizer.padId()).isEqualTo(1);
        assertThat(tokenizer.tokenToId("<mask>")).hasValue(50261);
        assertThat(tokenizer.idToToken(2)).isEqualTo("</s>");
        assertThat(tokenizer.specialTokenCount(false)).isEqualTo(2);
        assertThat(tokenizer.specialTokenCount(true)).isEqualTo(4);
    }

    private static int[] ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
