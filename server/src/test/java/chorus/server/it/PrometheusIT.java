package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.RepoRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package; .ci/run installs it when missing) scrapes five replica JVMs;
 * the writes this test makes are found again through Prometheus's query API. The Grafana dashboard
 * in deploy/ queries only metrics that a live scrape holds.
 */
class PrometheusIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static Process prometheus;
    static int prometheusPort;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicasWithHttp(5), LocalCluster.TEST_TIMEOUTS, Security.NONE,
                Coordination.LEADER);
        cluster = LocalCluster.start(config, dir.resolve("cluster"));
        String binary = prometheusBinary();
        StringBuilder yml = new StringBuilder("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: chorus\n    static_configs:\n");
        for (int r = 1; r <= 5; r++) {
            yml.append("      - targets: [\"127.0.0.1:").append(cluster.address(r).httpPort()).append("\"]\n        labels: {replica: \"")
                    .append(r).append("\"}\n");
        }
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, yml.toString());
        prometheusPort = LoopbackPorts.free(1).get(0);
        prometheus = new ProcessBuilder(binary, "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await("Prometheus ready").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            assertThat(prometheus.isAlive()).as(() -> log()).isTrue();
            return send("/-/ready").statusCode() == 200;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy(); // its own pid
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static String prometheusBinary() {
        for (String p : new String[] {"/usr/bin/prometheus", "/usr/local/bin/prometheus", "/bin/prometheus"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException("this test runs a real Prometheus and none is installed: install Debian's package as root with "
                + "'apt-get install -y prometheus' (.ci/run does so when it is missing)");
    }

    static String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (Exception e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static HttpResponse<String> send(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a PromQL query that returns one sample, or NaN without one. */
    static double query(String promql) throws Exception {
        JsonNode answer = JSON.readTree(send("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
        JsonNode result = answer.path("data").path("result");
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    @Test
    void prometheusCountsTheCommittedTransactionsThatTheTestMade() throws Exception {
        await("every replica scraped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> query("sum(up{job=\"chorus\"})") == 5.0);
        double before = query("sum(chorus_transactions_total{job=\"chorus\",outcome=\"committed\"})");
        assertThat(before).as("scraped before the writes").isNotNaN();
        UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(2).kv(), "prom/warm", "up");
        int writes = 25;
        for (int i = 0; i < writes; i++) {
            cluster.connection(1 + i % 5).kv().put("prom/" + i, "v" + i);
        }
        double expected = before + writes + 1;
        await("Prometheus counts the " + (writes + 1) + " commits").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> query("sum(chorus_transactions_total{job=\"chorus\",outcome=\"committed\"})") == expected);
        // Under leader coordination replica 1 coordinated them all, and the others forwarded theirs.
        assertThat(query("chorus_transactions_total{job=\"chorus\",outcome=\"committed\",replica=\"1\"}")).isEqualTo(expected);
        await("the answer-time histogram").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> query("sum(chorus_answer_seconds_count{job=\"chorus\"})") >= writes);
        assertThat(query("max(chorus_view_epoch{job=\"chorus\"})")).isEqualTo(1.0);
        assertThat(query("sum(chorus_up{job=\"chorus\"})")).isEqualTo(5.0);
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsInALiveScrape() throws Exception {
        JsonNode dashboard = JSON.readTree(RepoRoot.find().resolve("deploy").resolve("grafana").resolve("chorus.json").toFile());
        List<String> exprs = dashboard.findValuesAsText("expr");
        assertThat(exprs).hasSizeGreaterThan(10);
        Set<String> queried = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:chorus|jvm|process)_[a-z_]+)\\b").matcher(String.join("\n", exprs));
        while (m.find()) {
            queried.add(m.group(1));
        }
        String scrape = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.address(1).httpPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Set<String> sampled = scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
        List<String> missing = new ArrayList<>();
        for (String name : queried) {
            if (!sampled.contains(name)) {
                missing.add(name);
            }
        }
        assertThat(missing).as("queried by deploy/grafana/chorus.json but absent from a scrape").isEmpty();
        assertThat(queried).contains("chorus_transactions_total", "chorus_answer_seconds_bucket", "chorus_vote_seconds_bucket",
                "chorus_peer_timeouts_total", "jvm_memory_used_bytes");
    }
}
