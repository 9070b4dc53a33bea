package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.Limits;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.api.model.ContentsPage;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/JSON API of three replica JVMs, driven by the JDK's own HTTP client: reads and writes
 * with versions as ETags, conditional writes, problem details for every refusal, health, and bad
 * input that changes nothing.
 */
class HttpApiIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicasWithHttp(3), LocalCluster.TEST_TIMEOUTS, Security.NONE,
                Coordination.LEADER);
        cluster = LocalCluster.start(config, dir.resolve("cluster"), true);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static URI uri(int replica, String path) {
        return URI.create("http://127.0.0.1:" + cluster.address(replica).httpPort() + path);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> put(int replica, String path, String value, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(replica, path)).PUT(HttpRequest.BodyPublishers.ofString(value, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    static HttpResponse<String> get(int replica, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(replica, path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** A first write that may miss a vote on a cold machine is tried again: the tests are about what follows. */
    static HttpResponse<String> putWarm(int replica, String path, String value) throws Exception {
        HttpResponse<String>[] last = new HttpResponse[1];
        org.awaitility.Awaitility.await("a first write over HTTP").atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = put(replica, path, value);
            return last[0].statusCode() != 503;
        });
        return last[0];
    }

    @Test
    void writesAndReadsCarryVersionsAsETagsOnEveryReplica() throws Exception {
        HttpResponse<String> w = putWarm(1, "/v1/kv/greeting", "h\u00e9llo, w\u00f6rld \u2603");
        assertThat(w.statusCode()).as(w.body()).isEqualTo(200);
        assertThat(w.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(w.headers().firstValue("ETag")).hasValue("\"1\"");
        JsonNode written = json(w);
        assertThat(written.get("key").asText()).isEqualTo("greeting");
        assertThat(written.get("version").asLong()).isEqualTo(1);
        assertThat(written.get("tx").asText()).startsWith("t");

        for (int r = 1; r <= 3; r++) {
            HttpResponse<String> g = get(r, "/v1/kv/greeting");
            assertThat(g.statusCode()).isEqualTo(200);
            assertThat(g.body()).isEqualTo("h\u00e9llo, w\u00f6rld \u2603");
            assertThat(g.headers().firstValue("ETag")).hasValue("\"1\"");
            assertThat(g.headers().firstValue("Chorus-Replica")).hasValue(String.valueOf(r));
            assertThat(g.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        }
        // The same value over RMI: one store, two faces.
        assertThat(cluster.connection(2).kv().get("greeting").value()).isEqualTo("h\u00e9llo, w\u00f6rld \u2603");
        assertThat(get(3, "/v1/kv/greeting", "If-None-Match", "\"1\"").statusCode()).isEqualTo(304);
    }

    @Test
    void conditionalWritesFollowIfMatchAndIfNoneMatch() throws Exception {
        assertThat(putWarm(1, "/v1/kv/cas", "a").statusCode()).isEqualTo(200);
        HttpResponse<String> ok = put(2, "/v1/kv/cas", "b", "If-Match", "\"1\"");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("ETag")).hasValue("\"2\"");

        HttpResponse<String> stale = put(3, "/v1/kv/cas", "c", "If-Match", "\"1\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json(stale);
        assertThat(p.get("status").asInt()).isEqualTo(412);
        assertThat(p.get("abortCause").asText()).isEqualTo("VERSION_MISMATCH");
        assertThat(p.get("detail").asText()).contains("is at version 2, expected 1");
        assertThat(p.get("instance").asText()).isEqualTo("/v1/kv/cas");
        assertThat(get(1, "/v1/kv/cas").body()).isEqualTo("b");

        HttpResponse<String> notNew = put(1, "/v1/kv/cas", "d", "If-None-Match", "*");
        assertThat(notNew.statusCode()).isEqualTo(412);
        assertThat(json(notNew).get("detail").asText()).isEqualTo("key 'cas' exists at version 2; If-None-Match: * creates only");
        assertThat(put(1, "/v1/kv/fresh", "new", "If-None-Match", "*").statusCode()).isEqualTo(200);
        assertThat(put(1, "/v1/kv/absent", "x", "If-Match", "*").statusCode()).isEqualTo(412);

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri(2, "/v1/kv/cas")).DELETE().header("If-Match", "\"2\""));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(json(deleted).get("version").asLong()).isEqualTo(3);
        HttpResponse<String> gone = get(3, "/v1/kv/cas");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("ETag")).as("a deleted key keeps the version of its delete").hasValue("\"3\"");
        assertThat(json(gone).get("detail").asText()).isEqualTo("key 'cas' is absent at replica 3 (version 3)");
        // Re-created only at the version of its delete.
        assertThat(put(3, "/v1/kv/cas", "again", "If-None-Match", "*").statusCode()).isEqualTo(200);
        assertThat(get(1, "/v1/kv/cas").headers().firstValue("ETag")).hasValue("\"4\"");
    }

    static HttpResponse<String> txn(int replica, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(replica, "/v1/txn")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    @Test
    void aTransactionAppliesEveryOperationOrNone() throws Exception {
        putWarm(1, "/v1/kv/acct/a", "100");
        put(1, "/v1/kv/acct/old", "x");
        String b64 = java.util.Base64.getEncoder().encodeToString("10 ✓".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> ok = txn(2, "{\"ops\":[{\"op\":\"put\",\"key\":\"acct/a\",\"value\":\"90\",\"ifVersion\":1},"
                + "{\"op\":\"put\",\"key\":\"acct/b\",\"valueBase64\":\"" + b64 + "\"},{\"op\":\"delete\",\"key\":\"acct/old\"}]}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode versions = json(ok).get("versions");
        assertThat(versions.get("acct/a").asLong()).isEqualTo(2);
        assertThat(versions.get("acct/b").asLong()).isEqualTo(1);
        assertThat(versions.get("acct/old").asLong()).isEqualTo(2);
        assertThat(get(3, "/v1/kv/acct/b").body()).isEqualTo("10 ✓");
        assertThat(get(3, "/v1/kv/acct/old").statusCode()).isEqualTo(404);

        // One stale check aborts the whole batch: acct/b is untouched.
        HttpResponse<String> stale = txn(3, "{\"ops\":[{\"op\":\"put\",\"key\":\"acct/a\",\"value\":\"80\",\"ifVersion\":1},"
                + "{\"op\":\"put\",\"key\":\"acct/b\",\"value\":\"20\"}]}");
        assertProblem(stale, 412, "is at version 2, expected 1");
        assertThat(get(1, "/v1/kv/acct/b").headers().firstValue("ETag")).hasValue("\"1\"");

        assertProblem(txn(1, "{\"ops\":[{\"op\":\"put\",\"key\":\"k\""), 400, "body is not valid JSON");
        assertProblem(txn(1, "{\"ops\":[{\"op\":\"put\",\"key\":\"k\",\"value\":\"v\",\"ttl\":3}]}"), 400,
                "ops[0] has unknown member 'ttl'");
        assertProblem(txn(1, "{\"ops\":[{\"op\":\"put\",\"key\":\"k\",\"valueBase64\":\"%%%\"}]}"), 400, "ops[0].valueBase64 is not base64");
        assertProblem(txn(1, "{\"ops\":[{\"op\":\"put\",\"key\":\"k\",\"value\":\"1\"},{\"op\":\"delete\",\"key\":\"k\"}]}"), 400,
                "appears twice in one batch");
        assertProblem(txn(1, "{\"ops\":[]}"), 400, "batch is empty");
        assertProblem(send(HttpRequest.newBuilder(uri(1, "/v1/txn")).GET()), 405, "GET is not served at /v1/txn");
        assertThat(get(2, "/v1/kv/k").statusCode()).isEqualTo(404);
    }

    @Test
    void keysAreThePercentDecodedPathSlashesIncluded() throws Exception {
        assertThat(putWarm(2, "/v1/kv/lab/run%201/t%C3%A9mp+1", "21.5").statusCode()).isEqualTo(200);
        assertThat(cluster.connection(1).kv().get("lab/run 1/t\u00e9mp+1").value()).isEqualTo("21.5");
        assertThat(get(3, "/v1/kv/lab%2Frun%201%2Ft%C3%A9mp%2B1").body()).as("%2F is a slash too").isEqualTo("21.5");
    }

    @Test
    void badInputIsRefusedWithAProblemThatNamesItAndChangesNothing() throws Exception {
        putWarm(1, "/v1/kv/steady", "same");
        ContentsPage before = cluster.connection(1).admin().contents("", 1000);

        assertProblem(raw(1, "PUT /v1/kv/bad%ZZ"), 400, "replica 1 refused the request: it is not well-formed HTTP; check the URI");
        assertProblem(put(1, "/v1/kv/caf%E9", "x"), 400, "key is not valid UTF-8");
        assertProblem(put(1, "/v1/kv/ctl%01", "x"), 400, "control character U+0001");
        assertProblem(put(1, "/v1/kv/", "x"), 400, "key is empty");
        assertProblem(put(1, "/v1/kv/steady", "x", "If-Match", "abc"), 400, "If-Match takes one version in quotes");
        assertProblem(put(1, "/v1/kv/steady", "x", "If-Match", "W/\"1\""), 400, "a weak tag");
        assertProblem(put(1, "/v1/kv/steady", "x", "If-Match", "\"1\"", "If-None-Match", "*"), 400, "not both");
        assertProblem(put(1, "/v1/kv/steady", "x", "Content-Type", "text/plain; charset=iso-8859-1"), 415, "names another charset");
        assertProblem(put(1, "/v1/kv/big", "v".repeat(Limits.MAX_VALUE_BYTES + 1)), 413, "the limit is " + Limits.MAX_VALUE_BYTES);
        assertProblem(put(1, "/v1/kv/" + "k".repeat(Limits.MAX_KEY_BYTES + 1), "x"), 413, "the limit is " + Limits.MAX_KEY_BYTES);
        HttpResponse<String> latin1 = send(HttpRequest.newBuilder(uri(1, "/v1/kv/steady"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'c', 'a', 'f', (byte) 0xe9})));
        assertProblem(latin1, 400, "value is not valid UTF-8");
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri(1, "/v1/kv/steady")).POST(HttpRequest.BodyPublishers.ofString("x")));
        assertProblem(post, 405, "POST is not served");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, PUT, DELETE");
        assertProblem(get(1, "/v2/nothing"), 404, "no resource at /v2/nothing");

        assertThat(cluster.connection(1).admin().contents("", 1000)).isEqualTo(before);
        assertThat(get(2, "/v1/kv/steady").body()).isEqualTo("same");
    }

    @Test
    void healthSaysLiveAndReadyAndTheFailureSwitchTakesTheReplicaOutOfService() throws Exception {
        assertThat(get(3, "/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(3, "/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("UP");

        cluster.connection(3).admin().setSimulatedFailure(true);
        try {
            HttpResponse<String> down = get(3, "/health/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(json(down).get("reasons").get(0).asText()).isEqualTo("replica 3 is down (simulated failure)");
            assertThat(get(3, "/health/live").statusCode()).as("the process is alive all the same").isEqualTo(200);
            assertProblem(get(3, "/v1/kv/anything"), 503, "replica 3 is down (simulated failure)");
            HttpResponse<String> aborted = put(1, "/v1/kv/during", "x");
            assertProblem(aborted, 503, "replica 3 did not vote");
            assertThat(json(aborted).get("abortCause").asText()).isEqualTo("TIMEOUT");
            assertThat(json(aborted).get("retry").asBoolean()).isTrue();
        } finally {
            cluster.connection(3).admin().setSimulatedFailure(false);
        }
        assertThat(get(3, "/health/ready").statusCode()).isEqualTo(200);
    }

    /** A request the JDK's client would refuse to send (a malformed escape), over a plain socket. */
    static HttpResponse<String> raw(int replica, String requestLine) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", cluster.address(replica).httpPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            int split = answer.indexOf("\r\n\r\n");
            java.util.Map<String, java.util.List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line : answer.substring(0, split).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim(), java.util.List.of(line.substring(colon + 1).trim()));
                }
            }
            String body = answer.substring(split + 4);
            return new RawResponse(status, java.net.http.HttpHeaders.of(headers, (a, b) -> true), body);
        }
    }

    record RawResponse(int statusCode, java.net.http.HttpHeaders headers, String body) implements HttpResponse<String> {
        public HttpRequest request() {
            throw new UnsupportedOperationException();
        }

        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        public URI uri() {
            throw new UnsupportedOperationException();
        }

        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    @Test
    void metricsArePrometheusTextWithTheProtocolsCountsAndTimes() throws Exception {
        putWarm(1, "/v1/kv/metered", "1");
        put(1, "/v1/kv/metered", "2", "If-Match", "\"99\"");
        HttpResponse<String> m = get(1, "/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        String text = m.body();
        // Leader coordination: replica 1 coordinates every write, so its counts are the cluster's.
        assertThat(metric(text, "chorus_transactions_total{outcome=\"committed\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metric(text, "chorus_aborts_total{cause=\"version_mismatch\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metric(text, "chorus_keys")).isGreaterThanOrEqualTo(1);
        assertThat(metric(text, "chorus_up")).isEqualTo(1);
        assertThat(metric(text, "chorus_view_epoch")).isGreaterThanOrEqualTo(1);
        // The lock step and the synced writes (prepare and commit records) of the commit above.
        assertThat(metric(text, "chorus_lock_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(metric(text, "chorus_storage_sync_seconds_count")).isGreaterThanOrEqualTo(2);
        assertThat(metric(text, "chorus_storage_sync_seconds_sum")).isPositive();
        assertThat(metric(get(3, "/metrics").body(), "chorus_storage_sync_seconds_count")).as("a participant syncs its prepare")
                .isGreaterThanOrEqualTo(1);
        assertThat(text).contains("# TYPE chorus_vote_seconds histogram", "chorus_vote_seconds_count{peer=\"2\"}",
                "chorus_decision_seconds_count{outcome=\"committed\"}", "chorus_answer_seconds_bucket{le=",
                "# TYPE jvm_memory_used_bytes gauge", "process_cpu_seconds_total");
    }

    @Test
    void keysUnderAPrefixAreListedInPages() throws Exception {
        putWarm(1, "/v1/kv/ls", "the prefix itself");
        for (String k : new String[] {"ls/a", "ls/b", "ls/c", "ls/d", "ls/e", "lt", "lr"}) {
            assertThat(put(1, "/v1/kv/" + k, "v-" + k).statusCode()).isEqualTo(200);
        }
        send(HttpRequest.newBuilder(uri(1, "/v1/kv/ls/c")).DELETE());
        JsonNode first = json(get(2, "/v1/kv?prefix=ls&limit=3"));
        assertThat(first.get("keys").findValuesAsText("key")).containsExactly("ls", "ls/a", "ls/b");
        assertThat(first.get("next").asText()).isEqualTo("ls/b");
        assertThat(first.get("keys").get(0).has("value")).as("values only when asked").isFalse();
        JsonNode second = json(get(2, "/v1/kv?prefix=ls&limit=3&values=true&after=" + first.get("next").asText()));
        assertThat(second.get("keys").findValuesAsText("key")).as("deleted keys are not listed").containsExactly("ls/d", "ls/e");
        assertThat(second.get("keys").get(0).get("value").asText()).isEqualTo("v-ls/d");
        assertThat(second.get("keys").get(0).get("version").asLong()).isEqualTo(1);
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(json(get(3, "/v1/kv?prefix=ls%2F")).get("keys").findValuesAsText("key")).containsExactly("ls/a", "ls/b", "ls/d", "ls/e");
        assertProblem(get(1, "/v1/kv?limit=0"), 400, "limit must be a whole number from 1 to 1000");
        assertProblem(get(1, "/v1/kv?values=yes"), 400, "values must be true or false");
    }

    /** One server-sent event. */
    record Sse(long id, String event, JsonNode data) {
    }

    /** Reads the events of a watch as they come; comments and keep-alives skipped. */
    static final class Watch implements AutoCloseable {
        final java.util.concurrent.BlockingQueue<Sse> events = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> call;

        Watch(int replica, String query, String lastEventId) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(replica, "/v1/watch" + query)).GET();
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            call = HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
            call.thenAcceptAsync(r -> {
                long id = -1;
                String event = null;
                java.util.Iterator<String> lines = r.body().iterator();
                try {
                    while (lines.hasNext()) {
                        String line = lines.next();
                        if (line.startsWith("id: ")) {
                            id = Long.parseLong(line.substring(4));
                        } else if (line.startsWith("event: ")) {
                            event = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            events.add(new Sse(id, event, JSON.readTree(line.substring(6))));
                        }
                    }
                } catch (Exception e) {
                    // the stream was closed by close()
                }
            });
        }

        int status() throws Exception {
            return call.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode();
        }

        Sse next() throws InterruptedException {
            Sse e = events.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(e).as("an event within 30 s").isNotNull();
            return e;
        }

        @Override
        public void close() {
            call.thenAccept(r -> r.body().close());
            call.cancel(true);
        }
    }

    @Test
    void aWatchStreamsCommittedChangesUnderItsPrefixAndResumesFromTheLastEventId() throws Exception {
        putWarm(1, "/v1/kv/warm-watch", "x");
        long first;
        try (Watch w = new Watch(3, "?prefix=w%2F", null)) {
            assertThat(w.status()).isEqualTo(200);
            put(1, "/v1/kv/w/a", "1");
            put(2, "/v1/kv/other/x", "not watched");
            put(1, "/v1/kv/w/b", "2 \u2603");
            send(HttpRequest.newBuilder(uri(2, "/v1/kv/w/a")).DELETE());
            Sse a = w.next();
            Sse b = w.next();
            Sse gone = w.next();
            assertThat(a.event()).isEqualTo("put");
            assertThat(a.data().get("key").asText()).isEqualTo("w/a");
            assertThat(a.data().get("value").asText()).isEqualTo("1");
            assertThat(a.data().get("version").asLong()).isEqualTo(1);
            assertThat(a.data().get("tx").asText()).startsWith("t");
            assertThat(b.data().get("key").asText()).isEqualTo("w/b");
            assertThat(b.data().get("value").asText()).isEqualTo("2 \u2603");
            assertThat(gone.event()).isEqualTo("delete");
            assertThat(gone.data().get("key").asText()).isEqualTo("w/a");
            assertThat(gone.data().get("version").asLong()).isEqualTo(2);
            assertThat(gone.data().get("value").isNull()).isTrue();
            assertThat(List.of(a.id(), b.id(), gone.id())).as("apply sequence numbers, rising").isSorted().doesNotHaveDuplicates();
            first = a.id();
        }
        // Reconnecting after the first event: the rest again, nothing missed.
        try (Watch again = new Watch(3, "?prefix=w/", String.valueOf(first))) {
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.next().data().get("key").asText()).isEqualTo("w/b");
            assertThat(again.next().event()).isEqualTo("delete");
        }
        assertProblem(get(3, "/v1/watch", "Last-Event-ID", "abc"), 400, "Last-Event-ID must be an event id");
        assertProblem(get(3, "/v1/watch", "Last-Event-ID", "999999999"), 410, "Ids are per replica");
    }

    /** The value of the sample whose name and labels start the line. */
    static double metric(String exposition, String sample) {
        return exposition.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + sample + " in\n" + exposition));
    }

    static void assertProblem(HttpResponse<String> r, int status, String detailPart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).startsWith("https://chorus.invalid/problems/");
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).contains(detailPart);
    }
}
