package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ConnectionLimits;
import chorus.api.config.Timeouts;
import chorus.api.model.EventType;
import chorus.api.rmi.RefusedConnectionException;
import chorus.api.rmi.ReplicaConnector;
import chorus.server.LoopbackPorts;
import chorus.server.testing.IdleFlood;
import chorus.server.testing.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of idle connections to one replica: the excess is refused at once with a reason, peers
 * keep their own slots (writes through the other replicas need the flooded one's votes), the idle
 * ones are closed after the idle timeout, and then the replica serves as before.
 * {@code launch/drill flood} does the same with 20,000 against a running cluster.
 */
class ConnectionFloodIT {

    private static final int LIMIT = 200;
    private static final int FLOOD = 3000;
    private static final Duration IDLE = Duration.ofSeconds(15);

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicas(3), LocalCluster.TEST_TIMEOUTS)
                .withLimits(ConnectionLimits.DEFAULTS.withMaxConnections(LIMIT).withIdleTimeout(IDLE));
        cluster = LocalCluster.start(config, dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFloodOfIdleConnectionsIsRefusedPastTheLimitWithoutStoppingTheCluster() throws Exception {
        var flooded = cluster.address(1);
        try (IdleFlood flood = IdleFlood.open(flooded.host(), flooded.port(), FLOOD, 8, Duration.ofSeconds(5))) {
            // The replica took at most its limit (the harness's own pooled connections hold a few slots).
            assertThat(flood.held()).as(flood.summary()).isBetween(LIMIT - 20, LIMIT);
            assertThat(flood.refused()).as(flood.summary()).isGreaterThanOrEqualTo(FLOOD - LIMIT - flood.failed());
            assertThat(flood.refusals()).as(flood.summary())
                    .containsOnlyKeys("CHORUS-REFUSED 1 the connection: too many client connections (limit " + LIMIT + ")");
            assertThat(flood.failed()).as(flood.summary()).isZero();
            assertThat(flood.slowestRefusal()).as(flood.summary()).isLessThan(Duration.ofSeconds(2));

            // A client with no connection pooled there yet is refused at once, and told why.
            long start = System.nanoTime();
            assertThatThrownBy(() -> freshConnector().connect(flooded))
                    .hasRootCauseInstanceOf(RefusedConnectionException.class)
                    .rootCause().hasMessage("replica 1 at " + flooded.hostPort()
                            + " refused the connection: too many client connections (limit " + LIMIT + ")");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

            // Writes through the others commit: they need replica 1's votes, over its peer listener.
            for (int coordinator = 2; coordinator <= 3; coordinator++) {
                assertThat(cluster.connection(coordinator).kv().put("during-flood-" + coordinator, "v").version()).isEqualTo(1);
            }

            // Idle connections are closed after the idle timeout: the flood's slots come free.
            int held = flood.held();
            assertThat(flood.awaitClosedByReplica(IDLE.plusSeconds(30))).isEqualTo(held);
        }
        // Serving as before, with what was written meanwhile.
        await("replica 1 serving after the flood").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(freshConnector().connect(flooded).kv().get("during-flood-2").value()).isEqualTo("v"));
        assertThat(cluster.connection(1).kv().put("after-flood", "w").version()).isEqualTo(1);
        assertThat(Files.readString(cluster.logFile(1), StandardCharsets.UTF_8)).doesNotContain("OutOfMemoryError");
        assertThat(cluster.events(1)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.REFUSED);
            assertThat(e.reason()).startsWith("refused a connection: too many client connections (limit " + LIMIT + ")");
        }).anySatisfy(e -> assertThat(e.reason()).contains("idle for more than " + IDLE.toMillis() + " ms"));
    }

    /**
     * A client whose socket factory differs from the harness's, so RMI opens new connections for it
     * instead of reusing the harness's pooled ones (which hold their slots).
     */
    private static ReplicaConnector freshConnector() {
        Timeouts t = LocalCluster.TEST_TIMEOUTS;
        Timeouts distinct = new Timeouts(t.connect(), t.read().plusMillis(CLIENTS.incrementAndGet()), t.vote(), t.ack(), t.prepared(),
                t.readWait(), t.lockWait(), t.retryBackoff(), t.resolveInterval(), t.conflictRetries());
        return new ReplicaConnector(distinct, cluster.config().security());
    }
}
