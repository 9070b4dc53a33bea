package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import chorus.api.TransactionAbortedException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Security;
import chorus.api.model.AbortCause;
import chorus.api.model.EventType;
import chorus.api.model.FaultSpec;
import chorus.api.model.ReadResult;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One call to a peer carries several transactions' messages (a COMMIT riding on the next PREPARE),
 * and each keeps its own timeout and outcome: when the PREPARE hangs at the replica, its transaction
 * times out and aborts, while the COMMIT carried in the same call is applied there and its
 * transaction stays committed. Leader coordination with the longest ride wait, so that the next
 * write's PREPARE is nearly sure to carry the previous write's COMMIT.
 */
@org.junit.jupiter.api.Tag("serial") // the ride wait is 20 ms at most: another cluster beside it closes the window
class BatchedExchangeIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicas(5), LocalCluster.TEST_TIMEOUTS, Security.NONE,
                Coordination.LEADER).withDecisionRideWait(ClusterConfig.MAX_RIDE_WAIT);
        cluster = LocalCluster.start(config, dir.resolve("cluster"), true);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCallThatTimesOutForOneTransactionStillDeliversTheOthers() throws Exception {
        for (int attempt = 1; ; attempt++) {
            String carried = "carried-" + attempt;
            String hung = "hung-" + attempt;
            WriteResult first = cluster.connection(1).kv().put(carried, "committed");
            // Replica 3's next PREPARE hangs before its vote; the next one is the second write's,
            // which leaves with the first write's COMMIT for replica 3 unless that left alone first.
            cluster.connection(3).admin().injectFault(FaultSpec.AtPoint.hang("participant-before-vote", Duration.ZERO));
            Throwable second = catchThrowable(() -> cluster.connection(1).kv().put(hung, "never"));

            assertThat(second).isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
                assertThat(e.abortCause()).isEqualTo(AbortCause.TIMEOUT);
                assertThat(e.reason()).isEqualTo("replica 3 did not vote within 1500 ms");
            });
            if (allAcknowledged(first.txId())) {
                // The COMMIT left alone before the second write's PREPARE (a stalled machine):
                // not the case under test; clear the hang and try again with new keys.
                cluster.connection(3).admin().clearFaults();
                assertThat(attempt).as("attempts at making the COMMIT ride on the next PREPARE").isLessThan(10);
                continue;
            }
            // The call is still hanging at replica 3, yet the COMMIT it carried is applied there:
            // the read answers at once instead of waiting for a prepared key's outcome.
            ReadResult read = cluster.connection(3).kv().get(carried);
            assertThat(read.value()).isEqualTo("committed");
            assertThat(read.version()).isEqualTo(1);

            cluster.connection(3).admin().clearFaults();
            // The acknowledgement comes back with the call's answer, once the PREPARE is released.
            await("the carried COMMIT acknowledged by every replica").atMost(Duration.ofSeconds(30))
                    .until(() -> allAcknowledged(first.txId()));
            await("the timed-out write gone everywhere").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                for (int r = 1; r <= 5; r++) {
                    assertThat(cluster.connection(r).kv().get(hung).found()).as("replica %d", r).isFalse();
                    assertThat(cluster.connection(r).kv().get(carried).value()).as("replica %d", r).isEqualTo("committed");
                }
            });
            return;
        }
    }

    private static boolean allAcknowledged(TxId tx) throws Exception {
        return cluster.connection(1).admin().events(0, 10_000).events().stream()
                .anyMatch(e -> tx.equals(e.txId()) && e.type() == EventType.ALL_ACKNOWLEDGED);
    }

}
