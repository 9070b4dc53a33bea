package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's routes of the HTTP API against three replica JVMs whose cluster sets an operator
 * token: reads need none; the failure switch, exclusion, readmission and forced decisions need it as
 * a bearer token (401 without, 403 wrong), and a refusal changes nothing.
 */
class HttpAdminIT {

    private static final String TOKEN = "the-operator-token";

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicasWithHttp(3), LocalCluster.TEST_TIMEOUTS,
                new Security(false, null, null, null, token.toString()), Coordination.RECEIVER);
        cluster = LocalCluster.start(config, dir.resolve("cluster"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HttpResponse<String> call(int replica, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.address(replica).httpPort() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> asOperator(int replica, String method, String path, String body) throws Exception {
        return call(replica, method, path, body, "Authorization", "Bearer " + TOKEN);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void readsNeedNoToken() throws Exception {
        HttpResponse<String> status = call(2, "GET", "/v1/admin/status", null);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(json(status).get("id").asInt()).isEqualTo(2);
        assertThat(json(status).get("simulatedFailure").asBoolean()).isFalse();

        HttpResponse<String> members = call(1, "GET", "/v1/admin/members", null);
        assertThat(members.statusCode()).as(members.body()).isEqualTo(200);
        assertThat(json(members).get("member").asBoolean()).isTrue();
        assertThat(json(members).get("view").get("members").toString()).isEqualTo("[1,2,3]");

        HttpResponse<String> inDoubt = call(3, "GET", "/v1/admin/in-doubt", null);
        assertThat(inDoubt.statusCode()).isEqualTo(200);
        assertThat(json(inDoubt).isArray()).isTrue();
    }

    @Test
    void theFailureSwitchNeedsTheTokenAndARefusalChangesNothing() throws Exception {
        HttpResponse<String> none = call(2, "PUT", "/v1/admin/failure", "{\"failed\": true}");
        assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"chorus\"");
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(none).get("detail").asText()).isEqualTo(
                "replica 2 requires the operator token for this call; send it as Authorization: Bearer TOKEN");

        HttpResponse<String> basic = call(2, "PUT", "/v1/admin/failure", "{\"failed\": true}", "Authorization", "Basic b3A6cHc=");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(json(basic).get("detail").asText()).contains("Authorization: Bearer TOKEN, not as 'Basic'");

        HttpResponse<String> wrong = call(2, "PUT", "/v1/admin/failure", "{\"failed\": true}", "Authorization", "Bearer a-guess");
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(403);
        // The same words as the RMI refusal (kv fail with a wrong token).
        assertThat(json(wrong).get("detail").asText()).isEqualTo("replica 2 refused the operator token");
        assertThat(cluster.status(2).simulatedFailure()).isFalse();

        HttpResponse<String> notABoolean = asOperator(2, "PUT", "/v1/admin/failure", "{\"failed\": \"yes\"}");
        assertThat(notABoolean.statusCode()).isEqualTo(400);
        assertThat(json(notABoolean).get("detail").asText()).isEqualTo("'failed' must be true or false");
        assertThat(asOperator(2, "PUT", "/v1/admin/failure", "on").statusCode()).isEqualTo(400);
        assertThat(cluster.status(2).simulatedFailure()).isFalse();

        HttpResponse<String> on = asOperator(2, "PUT", "/v1/admin/failure", "{\"failed\": true}");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(json(on).get("failed").asBoolean()).isTrue();
        assertThat(cluster.status(2).simulatedFailure()).isTrue();
        // Down for clients, its admin routes still answer: that is how the switch goes off again.
        assertThat(call(2, "GET", "/v1/kv/anything", null).statusCode()).isEqualTo(503);
        assertThat(call(2, "GET", "/health/ready", null).statusCode()).isEqualTo(503);
        assertThat(json(call(2, "GET", "/v1/admin/status", null)).get("simulatedFailure").asBoolean()).isTrue();

        HttpResponse<String> off = asOperator(2, "PUT", "/v1/admin/failure", "{\"failed\": false}");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(cluster.status(2).simulatedFailure()).isFalse();
        assertThat(call(2, "GET", "/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMethodsAreNamed() throws Exception {
        HttpResponse<String> missing = call(1, "GET", "/v1/admin/nothing-here", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("detail").asText()).contains("GET /v1/admin/status", "PUT /v1/admin/failure");

        HttpResponse<String> wrongMethod = call(1, "POST", "/v1/admin/status", "{}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");

        HttpResponse<String> badReplica = asOperator(1, "POST", "/v1/admin/exclude/three", null);
        assertThat(badReplica.statusCode()).isEqualTo(400);
        assertThat(json(badReplica).get("detail").asText()).isEqualTo("'three' is not a replica id (a number from the cluster file)");

        HttpResponse<String> unknownReplica = asOperator(1, "POST", "/v1/admin/exclude/9", null);
        assertThat(unknownReplica.statusCode()).as(unknownReplica.body()).isEqualTo(400);
        assertThat(json(call(1, "GET", "/v1/admin/members", null)).get("view").get("members").toString()).isEqualTo("[1,2,3]");
    }

    @Test
    void anOperatorExcludesAReplicaAndItAsksToBeReadmitted() throws Exception {
        HttpResponse<String> refused = call(1, "POST", "/v1/admin/exclude/3", null);
        assertThat(refused.statusCode()).isEqualTo(401);

        HttpResponse<String> excluded = asOperator(1, "POST", "/v1/admin/exclude/3", null);
        assertThat(excluded.statusCode()).as(excluded.body()).isEqualTo(200);
        assertThat(json(excluded).get("members").toString()).isEqualTo("[1,2]");
        long epoch = json(excluded).get("epoch").asLong();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(call(3, "GET", "/v1/admin/members", null)).get("member").asBoolean()).isFalse());

        HttpResponse<String> readmitted = asOperator(3, "POST", "/v1/admin/readmit", null);
        assertThat(readmitted.statusCode()).as(readmitted.body()).isEqualTo(200);
        assertThat(json(readmitted).get("members").toString()).isEqualTo("[1,2,3]");
        assertThat(json(readmitted).get("epoch").asLong()).isGreaterThan(epoch);
    }

    @Test
    void anOperatorSettlesATransactionInDoubt() throws Exception {
        // Replica 1 coordinates one write and halts right after its COMMIT decision is durable,
        // before sending it: replicas 2 and 3 voted YES and hold the write in doubt.
        cluster.kill(1);
        cluster.start(1, Map.of("chorus.fault", "coordinator-after-decision"));
        assertThat(cluster.writeUntilHalted(1, "stuck", "maybe")).isEqualTo(137);
        List<JsonNode> held = new ArrayList<>();
        // Listed and counted once it waited too long for its decision: wait for both, so that what
        // follows finds it in doubt.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            held.clear();
            json(call(3, "GET", "/v1/admin/in-doubt", null)).forEach(held::add);
            assertThat(held).hasSize(1);
            assertThat(cluster.status(3).inDoubt()).isEqualTo(1);
        });
        JsonNode t = held.get(0);
        String tx = t.get("tx").asText();
        assertThat(tx).startsWith("t1.");
        assertThat(t.get("keys").toString()).isEqualTo("[\"stuck\"]");

        String path = "/v1/admin/in-doubt/" + tx;
        assertThat(call(3, "POST", path, "{\"decision\": \"COMMIT\", \"note\": \"per 1's log\"}").statusCode()).isEqualTo(401);
        HttpResponse<String> noNote = asOperator(3, "POST", path, "{\"decision\": \"COMMIT\"}");
        assertThat(noNote.statusCode()).isEqualTo(400);
        assertThat(json(noNote).get("detail").asText()).contains("'note' must be a non-empty string");
        HttpResponse<String> badDecision = asOperator(3, "POST", path, "{\"decision\": \"MAYBE\", \"note\": \"x\"}");
        assertThat(badDecision.statusCode()).isEqualTo(400);
        HttpResponse<String> badTx = asOperator(3, "POST", "/v1/admin/in-doubt/not-a-tx", "{\"decision\": \"COMMIT\", \"note\": \"x\"}");
        assertThat(badTx.statusCode()).isEqualTo(400);
        assertThat(json(badTx).get("detail").asText()).contains("not a transaction id");
        assertThat(cluster.status(3).inDoubt()).isEqualTo(1);

        HttpResponse<String> forced = asOperator(3, "POST", path, "{\"decision\": \"COMMIT\", \"note\": \"coordinator 1 decided COMMIT per its log\"}");
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        assertThat(json(forced).get("decision").asText()).isEqualTo("COMMIT");
        assertThat(cluster.status(3).inDoubt()).isZero();
        assertThat(cluster.connection(3).kv().get("stuck").value()).isEqualTo("maybe");

        HttpResponse<String> again = asOperator(3, "POST", path, "{\"decision\": \"ABORT\", \"note\": \"twice\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(404);
        assertThat(json(again).get("detail").asText()).isEqualTo("replica 3 holds no prepared transaction " + tx);

        // The coordinator returns with its durable COMMIT; replica 2 learns it, and all agree.
        cluster.start(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(cluster.status(2).inDoubt()).isZero();
            assertThat(cluster.connection(2).kv().get("stuck").value()).isEqualTo("maybe");
        });
    }
}
