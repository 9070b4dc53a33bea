package chorus.bench;

import chorus.api.ChorusException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.ConfigException;
import chorus.api.config.ReplicaAddress;
import chorus.api.rmi.ReplicaConnection;
import chorus.api.rmi.ReplicaConnector;
import chorus.cli.ErrorMapper;
import chorus.cli.ExitCodes;
import chorus.cli.Target;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Sequential PUT latency against one replica: a warm-up (not measured, for the JIT on both
 * sides), then N timed PUTs, one at a time. Not a test: a figure for a person, printed as
 * {@code key=value} lines.
 */
@Command(name = "bench-put", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Times N sequential PUTs through one replica and prints throughput and latency percentiles.",
        footer = {"", "Output (one line each): count=.. errors=.. duration_s=.. throughput_ops=..",
            "  latency_ms p50=.. p90=.. p99=.. p99.9=.. max=..",
            "  heap_used_mb=.. heap_committed_mb=.. (of this client JVM)"})
public final class PutLatency implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "conf/cluster.properties",
            description = "Cluster file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-r", "--replica"}, paramLabel = "N", description = "Replica that coordinates the PUTs (default: the first).")
    Integer replica;

    @Option(names = {"-n", "--count"}, defaultValue = "2000", description = "Measured PUTs (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--warmup", defaultValue = "500", description = "Unmeasured PUTs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--keys", defaultValue = "1000", description = "Distinct keys written round-robin (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--value-bytes", defaultValue = "100", description = "Size of each value (default: ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = "--key-prefix", defaultValue = "bench/", description = "Prefix of the keys written (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--api", defaultValue = "rmi", description = "rmi (KeyValueService) or http (PUT/GET /v1/kv/{key}; the replica's"
            + " replica.N.http-port) (default: ${DEFAULT-VALUE}).")
    String api;

    @Option(names = "--op", defaultValue = "put", description = "put, or get (the warm-up writes the keys, then GETs are timed)"
            + " (default: ${DEFAULT-VALUE}).")
    String op;

    @Option(names = "--http-client", defaultValue = "jdk", description = "With --api http: jdk (java.net.http.HttpClient) or socket (a"
            + " plain HTTP/1.1 socket, no client library; plain HTTP only) (default: ${DEFAULT-VALUE}).")
    String httpClient;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 1 || warmup < 0 || keys < 1 || valueBytes < 0 || valueBytes > chorus.api.Limits.MAX_VALUE_BYTES) {
            err.println("error: need --count >= 1, --warmup >= 0, --keys >= 1, 0 <= --value-bytes <= " + chorus.api.Limits.MAX_VALUE_BYTES);
            return ExitCodes.USAGE;
        }
        if (!api.equals("rmi") && !api.equals("http")) {
            err.println("error: --api must be rmi or http, not '" + api + "'");
            return ExitCodes.USAGE;
        }
        if (!httpClient.equals("jdk") && !httpClient.equals("socket")) {
            err.println("error: --http-client must be jdk or socket, not '" + httpClient + "'");
            return ExitCodes.USAGE;
        }
        if (!op.equals("put") && !op.equals("get")) {
            err.println("error: --op must be put or get, not '" + op + "'");
            return ExitCodes.USAGE;
        }
        boolean reads = op.equals("get");
        if (reads && warmup < keys) {
            warmup = keys; // every key read must exist: the warm-up writes each once at least
        }
        ClusterConfig cluster;
        ReplicaAddress address;
        try {
            cluster = ClusterConfig.load(config);
            address = replica == null ? cluster.replicas().get(0) : cluster.require(replica);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Target target = Target.of(address);
        String value = "v".repeat(valueBytes);
        // The longest a live replica may take per PUT is bounded by the stubs' read timeout.
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        int errors = 0;
        String firstError = null;
        long elapsed;
        if (api.equals("http") && !address.servesHttp()) {
            err.println("error: " + target.label() + " serves no HTTP: set replica." + address.id() + ".http-port in " + config);
            return ExitCodes.USAGE;
        }
        if (api.equals("http") && httpClient.equals("socket") && cluster.security().tls()) {
            err.println("error: --http-client socket speaks plain HTTP only, and " + config + " turns TLS on: use --http-client jdk");
            return ExitCodes.USAGE;
        }
        String what = (api.equals("http") ? "HTTP " : "RMI ") + (reads ? "GETs" : "PUTs");
        try {
            KvApi kv = !api.equals("http") ? new RmiKv(new ReplicaConnector(cluster.timeouts()).connect(address))
                    : httpClient.equals("socket") ? SocketHttpKv.to(address, cluster.timeouts().connect(), cluster.timeouts().read())
                    : HttpKv.to(address, cluster);
            out.println("# warm-up: " + warmup + " " + (api.equals("http") ? "HTTP (" + httpClient + " client)" : "RMI") + " PUTs through "
                    + target.label());
            out.flush();
            for (int i = 0; i < warmup; i++) {
                kv.put(prefix + (i % keys), value);
            }
            out.println("# measuring: " + count + " " + what);
            out.flush();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                try {
                    if (reads) {
                        kv.get(prefix + (i % keys));
                    } else {
                        kv.put(prefix + (i % keys), value);
                    }
                    latency.recordValue(Math.min(System.nanoTime() - t0, latency.getHighestTrackableValue()));
                } catch (ChorusException e) {
                    // A failed operation is counted, not timed: the percentiles describe successes.
                    errors++;
                    firstError = firstError == null ? e.getMessage() : firstError;
                }
            }
            elapsed = System.nanoTime() - start;
        } catch (ChorusException | java.io.IOException e) {
            err.println("error: " + ErrorMapper.map(target, e).getMessage());
            return ErrorMapper.map(target, e).exitCode();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.printf(Locale.ROOT, "count=%d errors=%d duration_s=%.3f throughput_ops=%.1f%n",
                latency.getTotalCount(), errors, elapsed / 1e9, latency.getTotalCount() / (elapsed / 1e9));
        out.printf(Locale.ROOT, "latency_ms p50=%.3f p90=%.3f p99=%.3f p99.9=%.3f max=%.3f%n",
                ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                ms(latency.getValueAtPercentile(99)), ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()));
        out.printf(Locale.ROOT, "heap_used_mb=%.1f heap_committed_mb=%.1f%n", heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0);
        if (firstError != null) {
            err.println("warning: " + errors + " " + what + " failed; first: " + firstError);
        }
        return errors == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The two operations timed, over either API. */
    interface KvApi {
        void put(String key, String value) throws ChorusException, java.io.IOException;

        void get(String key) throws ChorusException, java.io.IOException;
    }

    record RmiKv(ReplicaConnection c) implements KvApi {
        public void put(String key, String value) throws ChorusException, java.io.IOException {
            c.kv().put(key, value);
        }

        public void get(String key) throws ChorusException, java.io.IOException {
            c.kv().get(key);
        }
    }

    /**
     * The HTTP API through the JDK's client: one kept-alive HTTP/1.1 connection, as a curl loop or a
     * Python client would use. The client hands each answer from its selector thread to its executor;
     * a direct executor saves that hand-off (a GET's p50 went from 0.53 to 0.23 ms), which is safe
     * here because one caller sends one request at a time.
     */
    record HttpKv(java.net.http.HttpClient http, String base, java.time.Duration timeout) implements KvApi {

        static HttpKv to(ReplicaAddress a, ClusterConfig cluster) {
            boolean tls = cluster.security().tls();
            java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(cluster.timeouts().connect())
                    .executor(Runnable::run);
            if (tls) {
                b.sslContext(chorus.api.rmi.TlsSockets.load(cluster.security()));
            }
            return new HttpKv(b.build(), (tls ? "https://" : "http://") + a.host() + ":" + a.httpPort() + "/v1/kv/", cluster.timeouts().read());
        }

        public void put(String key, String value) throws ChorusException, java.io.IOException {
            call(java.net.http.HttpRequest.newBuilder(uri(key)).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(value)), 200);
        }

        public void get(String key) throws ChorusException, java.io.IOException {
            call(java.net.http.HttpRequest.newBuilder(uri(key)).GET(), 200);
        }

        private java.net.URI uri(String key) {
            return java.net.URI.create(base + escaped(key));
        }

        private void call(java.net.http.HttpRequest.Builder request, int expected) throws ChorusException, java.io.IOException {
            try {
                java.net.http.HttpResponse<String> r = http.send(request.timeout(timeout).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != expected) {
                    throw new ChorusException("HTTP " + r.statusCode() + ": " + r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }
    }

    /** {@code key} as the path after /v1/kv/: percent-escaped as UTF-8, its slashes kept (both clients send it so). */
    static String escaped(String key) {
        return java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new PutLatency());
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        System.exit(cl.execute(args));
    }
}
