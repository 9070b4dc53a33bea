package chorus.bench.drill;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ConfigException;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Timeouts;
import chorus.api.rmi.ReplicaConnector;
import chorus.server.testing.IdleFlood;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A drill against a running cluster: thousands of idle RMI connections to one replica, as a
 * careless or hostile process on the host would hold them. Reports, as {@code key=value} lines,
 * what the replica did with them, whether a new client is refused at once and why, whether writes
 * through the other replicas commit meanwhile (they need the flooded one's votes), and how long
 * after the flood ends the replica serves a new client again. Writes keys {@code drill/flood/*}.
 */
@Command(name = "drill flood", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Floods one replica of a running cluster with idle connections and reports how the cluster copes.")
public final class FloodDrill implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "conf/cluster.properties",
            description = "Cluster file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-r", "--replica"}, defaultValue = "1", description = "Replica to flood (default: ${DEFAULT-VALUE}).")
    int replica;

    @Option(names = {"-n", "--connections"}, defaultValue = "20000", description = "Idle connections to open (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--threads", defaultValue = "16", description = "Threads opening them (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--timeout-ms", defaultValue = "5000",
            description = "Longest wait to connect and for the replica's first answer, per connection (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--hold-s", defaultValue = "0",
            description = "Keep the flood open this long after the checks, for trying kv against it and to see idle "
                    + "connections closed by the replica (default: ${DEFAULT-VALUE}).")
    long holdSeconds;

    private final AtomicInteger clients = new AtomicInteger();

    public static void main(String[] args) {
        System.exit(new CommandLine(new FloodDrill()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ClusterConfig cluster;
        ReplicaAddress target;
        try {
            cluster = ClusterConfig.load(config);
            target = cluster.require(replica);
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        if (connections < 1 || threads < 1 || timeoutMillis < 1 || holdSeconds < 0) {
            System.err.println("error: --connections, --threads and --timeout-ms must be at least 1, --hold-s at least 0");
            return 2;
        }
        out("target", target.toString());
        out("limits", "max_connections=" + cluster.limits().maxConnections() + " idle_timeout_ms="
                + cluster.limits().idleTimeout().toMillis());
        out("before", attempt(cluster, target, "before"));

        long start = System.nanoTime();
        try (IdleFlood flood = IdleFlood.open(target.host(), target.port(), connections, threads, Duration.ofMillis(timeoutMillis))) {
            out("flood_opened_s", seconds(System.nanoTime() - start));
            out("flood", flood.summary());
            out("new_client_during_flood", attempt(cluster, target, "during"));
            for (ReplicaAddress other : cluster.replicas()) {
                if (other.id() != replica) {
                    out("write_through_replica_" + other.id(), attempt(cluster, other, "during-" + other.id()));
                }
            }
            if (holdSeconds > 0) {
                out("holding_until", Instant.now().plusSeconds(holdSeconds).toString());
                // The held connections are waited on, each until the replica closes it or the hold ends.
                int closedByReplica = flood.awaitClosedByReplica(Duration.ofSeconds(holdSeconds));
                out("held_closed_by_replica", closedByReplica + " of " + (closedByReplica + flood.held()));
            }
            out("closing_flood_at", Instant.now().toString());
        }
        long closed = System.nanoTime();
        // Serving again: a new client's write through the flooded replica commits.
        String after = "";
        while (System.nanoTime() - closed < Duration.ofSeconds(60).toNanos()) {
            after = attempt(cluster, target, "after");
            if (after.startsWith("ok")) {
                break;
            }
        }
        out("after_flood", after);
        out("recovery_s", seconds(System.nanoTime() - closed));
        return after.startsWith("ok") ? 0 : 1;
    }

    /** One put through {@code r} by a client with no pooled connection there: "ok in N ms" or the failure. */
    private String attempt(ClusterConfig cluster, ReplicaAddress r, String what) {
        long t0 = System.nanoTime();
        try {
            new ReplicaConnector(distinctTimeouts(cluster.timeouts()), cluster.security()).connect(r).kv()
                    .put("drill/flood/" + what, Instant.now().toString());
            return "ok in " + millis(System.nanoTime() - t0) + " ms";
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "failed in " + millis(System.nanoTime() - t0) + " ms: " + root.getClass().getSimpleName() + ": "
                    + String.valueOf(root.getMessage()).replace('\n', ' ');
        }
    }

    /**
     * RMI reuses a pooled connection for stubs whose socket factories are equal; a read timeout a few
     * milliseconds apart makes each attempt open its own, as a new client process would.
     */
    private Timeouts distinctTimeouts(Timeouts t) {
        return new Timeouts(t.connect(), t.read().plusMillis(clients.incrementAndGet()), t.vote(), t.ack(), t.prepared(), t.readWait(),
                t.lockWait(), t.retryBackoff(), t.resolveInterval(), t.conflictRetries());
    }

    private static void out(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
