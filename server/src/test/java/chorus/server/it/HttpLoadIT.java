package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ConnectionLimits;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API under load: 32 clients, each with its own connection, write, read and
 * compare-and-set for half a minute across three replica JVMs. Every acknowledged write is then on
 * every replica, and once the clients are gone each replica's threads and open sockets come back
 * to what they were before. Speed is not asserted; the counts are printed.
 */
class HttpLoadIT {

    static final int CLIENTS = 32;
    static final Duration RUN = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        // Idle connections closed by the replica after 3 s, so that the leak check need not wait long.
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicasWithHttp(3), LocalCluster.TEST_TIMEOUTS, Security.NONE,
                Coordination.LEADER).withLimits(new ConnectionLimits(256, 64, Duration.ofSeconds(3), 48L * 1024 * 1024));
        cluster = LocalCluster.start(config, dir.resolve("cluster"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    static long threads(int replica) throws IOException {
        return count(Path.of("/proc", String.valueOf(cluster.pid(replica)), "task"));
    }

    static long openFiles(int replica) throws IOException {
        return count(Path.of("/proc", String.valueOf(cluster.pid(replica)), "fd"));
    }

    @Test
    void thirtyTwoClientsForHalfAMinuteLoseNothingAndLeakNothing() throws Exception {
        UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "warm", "up");
        // Warm HTTP too, so that the baseline counts the server's own threads and connections.
        HttpClient warm = HttpClient.newHttpClient();
        for (int r = 1; r <= 3; r++) {
            warm.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.address(r).httpPort() + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        long[] threadsBefore = new long[4];
        long[] filesBefore = new long[4];
        long[] httpThreadsBefore = new long[4];
        // The baseline is taken once the replicas closed the warm-up connections (idle for 3 s).
        await("warm-up connections closed by the idle timeout").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (int r = 1; r <= 3; r++) {
                        if (established(cluster.address(r).httpPort()) > 0) {
                            return false;
                        }
                    }
                    return true;
                });
        for (int r = 1; r <= 3; r++) {
            threadsBefore[r] = threads(r);
            filesBefore[r] = openFiles(r);
            httpThreadsBefore[r] = httpThreads(r);
        }

        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicLong ok = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Map<String, Long> refusals = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + RUN.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String base = "http://127.0.0.1:" + cluster.address(1 + client % 3).httpPort() + "/v1/kv/load/" + client + "/";
                long version = 0;
                String lastKey = null;
                String lastValue = null;
                for (int i = 0; System.nanoTime() < end; i++) {
                    String value = "c" + client + "-" + i;
                    boolean cas = i % 5 == 3 && version > 0;
                    boolean read = i % 5 == 4 && lastKey != null;
                    // A compare-and-set goes to the key this client wrote last, at the version it got: its own key, so it
                    // holds; a read too, and must see that write (its replica's reads are linearizable).
                    String key = cas || read ? lastKey : "k" + (i % 20);
                    try {
                        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + key)).timeout(Duration.ofSeconds(30));
                        HttpResponse<String> r;
                        if (read) {
                            r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200 && !r.body().equals(lastValue)) {
                                unexpected.add("read " + key + " = " + r.body() + " after writing " + lastValue);
                            }
                        } else if (cas) {
                            r = http.send(b.PUT(HttpRequest.BodyPublishers.ofString(value)).header("If-Match", "\"" + version + "\"").build(),
                                    HttpResponse.BodyHandlers.ofString());
                        } else {
                            r = http.send(b.PUT(HttpRequest.BodyPublishers.ofString(value)).build(), HttpResponse.BodyHandlers.ofString());
                        }
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            if (r.request().method().equals("PUT")) {
                                String written = r.request().uri().getPath().substring("/v1/kv/".length());
                                acknowledged.merge(written, value, (a, bb) -> newer(a, bb));
                                version = Long.parseLong(r.headers().firstValue("ETag").orElse("\"0\"").replace("\"", ""));
                                lastKey = key;
                                lastValue = value;
                            }
                        } else if (r.statusCode() == 503 || r.statusCode() == 409) {
                            refused.incrementAndGet(); // a timeout or conflict under load
                            String type = r.body().replaceAll(".*\"type\":\"[^\"]*/([a-z-]+)\".*", "$1");
                            refusals.merge(r.statusCode() + " " + type, 1L, Long::sum);
                            version = 0;
                        } else {
                            unexpected.add(r.statusCode() + " " + r.body());
                            version = 0;
                        }
                    } catch (IOException e) {
                        unexpected.add(e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Future<?> f : clients) {
            f.get(RUN.toSeconds() + 120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        System.out.println("HTTP load: " + CLIENTS + " clients for " + RUN.toSeconds() + " s: " + ok.get() + " answered 200, "
                + refused.get() + " refused " + new java.util.TreeMap<>(refusals) + ", " + acknowledged.size() + " keys acknowledged");
        assertThat(unexpected).as("answers other than 200, 409 and 503, stale reads, or broken connections").isEmpty();
        assertThat(ok.get()).isGreaterThan(CLIENTS);

        // Nothing acknowledged is lost: each key's last acknowledged value is on every replica
        // (read through a listing of each replica's committed state, once the last acks are in).
        HttpClient reader = HttpClient.newHttpClient();
        for (int r = 1; r <= 3; r++) {
            int replica = r;
            await("replica " + r + " holds every acknowledged write").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        Map<String, String> held = new java.util.HashMap<>();
                        String after = null;
                        do {
                            String url = "http://127.0.0.1:" + cluster.address(replica).httpPort() + "/v1/kv?prefix=load/&values=true&limit=1000"
                                    + (after == null ? "" : "&after=" + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8));
                            com.fasterxml.jackson.databind.JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                                    reader.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
                            page.get("keys").forEach(k -> held.put(k.get("key").asText(), k.get("value").asText()));
                            after = page.get("next").isNull() ? null : page.get("next").asText();
                        } while (after != null);
                        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                            assertThat(held.get(e.getKey())).as(e.getKey() + " at replica " + replica).isEqualTo(e.getValue());
                        }
                    });
        }
        // No leak: with the clients gone and their connections closed by the idle timeout (3 s),
        // no connection to an HTTP port is left, each replica's HTTP threads stay within the
        // server's bound (its pool gives idle threads back one per 10 s), and its threads and open
        // files all told stay within what its bounded pools may keep (64 HTTP threads, 64 peer
        // connections): thousands of requests that each kept a thread or a socket would be far over.
        await("HTTP connections and threads released").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (int r = 1; r <= 3; r++) {
                assertThat(established(cluster.address(r).httpPort())).as("open connections to replica " + r + "'s HTTP port").isZero();
                assertThat(httpThreads(r)).as("HTTP threads of replica " + r + " (before: " + httpThreadsBefore[r] + ")")
                        .isLessThanOrEqualTo(64);
                assertThat(threads(r)).as("threads of replica " + r + " (before: " + threadsBefore[r] + ")").isLessThanOrEqualTo(threadsBefore[r] + 64);
                assertThat(openFiles(r)).as("open files of replica " + r + " (before: " + filesBefore[r] + ")").isLessThanOrEqualTo(filesBefore[r] + 64);
            }
        });
        for (int r = 1; r <= 3; r++) {
            System.out.println("replica " + r + ": threads " + threadsBefore[r] + " -> " + threads(r) + " (HTTP " + httpThreadsBefore[r] + " -> "
                    + httpThreads(r) + "), open files " + filesBefore[r] + " -> " + openFiles(r));
        }
    }

    /** Threads of replica {@code r}'s HTTP server (Linux shows the first 15 characters of a thread's name). */
    static long httpThreads(int replica) throws IOException {
        String prefix = ("replica-" + replica + "-http").substring(0, Math.min(15, ("replica-" + replica + "-http").length()));
        long n = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(cluster.pid(replica)), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(t.resolve("comm")).startsWith(prefix)) {
                        n++;
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return n;
    }

    /** Established TCP connections whose local port is {@code port}, from the kernel's tables. */
    static long established(int port) throws IOException {
        String hex = String.format(":%04X", port);
        long n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // once: the table changes between two reads
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hex) && f[3].equals("01")) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Of two values "cC-I" of one client for one key, the later write (the higher I). */
    static String newer(String a, String b) {
        return Long.parseLong(a.substring(a.indexOf('-') + 1)) >= Long.parseLong(b.substring(b.indexOf('-') + 1)) ? a : b;
    }
}
