package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A fuzz run of malformed and hostile bodies against all three rerank routes: each answer is a 4xx JSON error
 * (or, for a mutation that happens to be valid, a 200), never a 5xx, and the server keeps serving.
 */
class HostileBodiesTest {
    static final int MAX_BODY = 1 << 20;
    static final String[] ROUTES = {"/v1/rerank", "/v2/rerank", "/rerank"};
    static final String[] VALID = {
        "{\"model\": \"jinabert-mini\", \"query\": \"q\", \"documents\": [\"a\", {\"text\": \"b\"}], \"top_n\": 1}",
        "{\"query\": \"q\", \"documents\": [\"a\", \"b\"], \"max_tokens_per_doc\": 3}",
        "{\"query\": \"q\", \"texts\": [\"a\", \"b\"], \"raw_scores\": true, \"truncate\": true}"};
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(TestServer.config().maxLength(128).maxBodyBytes(MAX_BODY));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    /** Hostile bodies, each refused with the given status on every route. */
    @Test
    void hostileBodiesAreRefusedWithJsonErrors() {
        record Case(String name, byte[] body, int status) {
            Case(String name, String body, int status) {
                this(name, body.getBytes(StandardCharsets.UTF_8), status);
            }
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("deep array nesting", "[".repeat(100_000), 400));
        cases.add(new Case("deep object nesting in a field",
                "{\"query\": " + "{\"a\": ".repeat(50_000) + "1" + "}".repeat(50_000) + "}", 400));
        cases.add(new Case("huge string over the body limit",
                "{\"query\": \"" + "x".repeat(5 * MAX_BODY) + "\", \"documents\": [\"a\"]}", 413));
        cases.add(new Case("100,000 documents", hundredThousandDocuments(), 413));
        cases.add(new Case("invalid UTF-8 (bad continuation)", utf8Broken(0xC3, 0x28), 400));
        cases.add(new Case("invalid UTF-8 (0xFF)", utf8Broken(0xFF, 0xFE), 400));
        cases.add(new Case("invalid UTF-8 (overlong '/')", utf8Broken(0xC0, 0xAF), 400));
        cases.add(new Case("invalid UTF-8 (encoded surrogate)", utf8Broken(0xED, 0xA0, 0x80), 400));
        cases.add(new Case("invalid UTF-8 (truncated sequence)", utf8Broken(0xE2, 0x82), 400));
        String valid = "{\"query\": \"q\", \"documents\": [\"a\"], \"top_n\": ";
        cases.add(new Case("a 100-digit number", valid + "1" + "0".repeat(100) + "}", 400));
        cases.add(new Case("an exponent of a million", valid + "1e1000000}", 400));
        for (String root : new String[] {"", " ", "null", "true", "[]", "\"text\"", "42", "{}", "{\"query\": null}",
                "{\"query\": {\"text\": \"q\"}, \"documents\": [\"a\"]}",
                "{\"query\": [\"q\"], \"documents\": [\"a\"]}",
                "{\"query\": \"q\", \"documents\": [[\"a\"]]}", "{\"query\": \"q\", \"documents\": [null]}",
                "{\"query\": \"q\", \"documents\": {\"0\": \"a\"}}", "{'query': 'q'}", "{\"query\": \"q\",}",
                "{\"query\": \"q\" \"documents\": []}", "{\"query\": \"\\uZZZZ\"}",
                "{\"query\": \"q\", \"documents\": [\"a\"]}}"}) {
            cases.add(new Case("body " + root, root, 400));
        }
        for (Case c : cases) {
            for (String route : ROUTES) {
                TestServer.Response r = t.postBytes(route, c.body());
                assertThat(r.status()).as("%s on %s: %s", c.name(), route, abbreviate(r.body())).isEqualTo(c.status());
                r.error(c.status(), r.json().get("error").get("type").asText());
            }
        }
        assertServing();
    }

    @Test
    void oddButValidTextIsScored() {
        // Lone surrogates, NULs, control characters, right-to-left marks and emoji: valid JSON, so answered.
        for (String text : new String[] {"\\ud800", "\\udc00 tail", "\\u0000\\u0001\\u001f", "\\u202e\\u200b",
                "\\ud83d\\ude00 emoji", " ", ""}) {
            String[] bodies = {
                "{\"query\": \"q" + text + "\", \"documents\": [\"" + text + "\"]}",
                "{\"query\": \"q\", \"documents\": [\"" + text + "\"]}",
                "{\"query\": \"q" + text + "\", \"texts\": [\"" + text + "\"], \"return_text\": true}"};
            for (int i = 0; i < ROUTES.length; i++) {
                TestServer.Response r = t.post(ROUTES[i], bodies[i]);
                assertThat(r.status()).as("%s on %s: %s", text, ROUTES[i], r.body()).isEqualTo(200);
                assertThat(r.json()).isNotNull();
            }
        }
    }

    @Test
    void randomBytesAndMutationsNeverCauseAServerError() {
        Random random = new Random(20261126);
        for (int i = 0; i < 150; i++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            check(ROUTES[i % 3], junk);
        }
        for (int i = 0; i < 450; i++) {
            int k = i % 3;
            check(ROUTES[k], mutate(VALID[k].getBytes(StandardCharsets.UTF_8), random));
        }
        assertServing();
    }

    private static void check(String route, byte[] body) {
        TestServer.Response r = t.postBytes(route, body);
        String shown = new String(body, StandardCharsets.UTF_8);
        assertThat(r.status()).as("%s <- %s: %s", route, abbreviate(shown), abbreviate(r.body()))
                .isIn(200, 400, 413, 422);
        if (r.status() != 200) {
            r.error(r.status(), r.json().get("error").get("type").asText());
        }
    }

    /** A few random byte edits: replace, delete, insert or duplicate a span. */
    private static byte[] mutate(byte[] body, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(body);
        byte[] b = out.toByteArray();
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            int at = random.nextInt(b.length);
            ByteArrayOutputStream next = new ByteArrayOutputStream();
            next.write(b, 0, at);
            switch (random.nextInt(4)) {
                case 0 -> next.write("{}[]\",:0-e.tnfu\\ \u00e9".getBytes(StandardCharsets.UTF_8)[random.nextInt(18)]);
                case 1 -> { }
                case 2 -> next.write(random.nextInt(256));
                default -> next.write(b, at, Math.min(b.length - at, random.nextInt(12)));
            }
            next.write(b, Math.min(b.length, at + 1), Math.max(0, b.length - at - 1));
            b = next.toByteArray();
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    private static byte[] utf8Broken(int... bad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"query\": \"q".getBytes(StandardCharsets.UTF_8));
        for (int b : bad) {
            out.write(b);
        }
        out.writeBytes("\", \"documents\": [\"a\"], \"texts\": [\"a\"]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String hundredThousandDocuments() {
        StringBuilder sb = new StringBuilder("{\"query\": \"q\", \"documents\": [");
        StringBuilder texts = new StringBuilder("], \"texts\": [");
        for (int i = 0; i < 100_000; i++) {
            sb.append(i == 0 ? "" : ",").append("\"d\"");
            texts.append(i == 0 ? "" : ",").append("\"d\"");
        }
        return sb.append(texts).append("]}").toString();
    }

    private static void assertServing() {
        for (int i = 0; i < ROUTES.length; i++) {
            TestServer.Response r = t.post(ROUTES[i], VALID[i]);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        assertThat(t.get("/health").status()).isEqualTo(200);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
