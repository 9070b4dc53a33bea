package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.ReadTimeoutException;
import chorus.api.TransactionAbortedException;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kill -9 at the places 2PC is famous for: a participant that voted YES, a coordinator that
 * decided, and one that had not decided yet. After restart every replica holds the same data and
 * nothing stays in doubt.
 */
class CrashRecoveryIT {

    @Replicas(5)
    static LocalCluster cluster;

    @Test
    void aParticipantKilledAfterVotingYesAppliesTheCommitAfterRestart() throws Exception {
        cluster.kill(4);
        cluster.start(4, Map.of("chorus.fault", "participant-on-decision"));
        // The decision was durable before replica 4 heard it, so the client got its commit. (A fresh
        // JVM may miss the vote timeout on its very first PREPARE; then replica 4 halts on that ABORT
        // instead, the write fails, and the next attempt, after its restart, is the one we check.)
        WriteResult w = writeUntilCommitted("crash-participant", "committed", 4);
        assertThat(w.version()).isEqualTo(1);
        cluster.start(4);
        awaitConverged("crash-participant", "committed", 1);
    }

    @Test
    void aCoordinatorKilledAfterDecidingLeavesTheWriteInDoubtUntilItReturnsThenCommitsEverywhere() throws Exception {
        cluster.kill(2);
        cluster.start(2, Map.of("chorus.fault", "coordinator-after-decision"));
        assertThat(cluster.writeUntilHalted(2, "crash-coordinator", "decided")).isEqualTo(137);
        // Everybody voted YES and nobody else knows the decision: textbook 2PC blocking.
        await("participants in doubt").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.status(3).inDoubt() == 1);
        assertThat(cluster.connection(3).admin().inDoubt()).singleElement()
                .satisfies(t -> assertThat(t.keys()).containsExactly("crash-coordinator"));
        // A read must not guess: the commit may be visible elsewhere as soon as the coordinator returns.
        assertThatThrownBy(() -> cluster.connection(3).kv().get("crash-coordinator"))
                .isInstanceOf(ReadTimeoutException.class).hasMessageContaining("is held by prepared transaction");
        cluster.start(2);
        awaitConverged("crash-coordinator", "decided", 1);
    }

    @Test
    void aCoordinatorKilledBeforeDecidingWithEveryPrepareDurableFindsTheWriteCommittedAfterRestart() throws Exception {
        cluster.connection(1).kv().put("crash-early", "original");
        killAfterPrepareSent(5, "crash-early", "prepared everywhere");
        // Every member, the coordinator included, had its prepare durable: under parallel commit that
        // is the commit point, and the restarted coordinator finds it by asking every member.
        cluster.start(5);
        awaitConverged("crash-early", "prepared everywhere", 2);
    }

    @Test
    void aCoordinatorKilledBeforeDecidingWhileAMemberNeverPreparedIsAbortedAfterRestart() throws Exception {
        cluster.connection(1).kv().put("crash-unprepared", "original");
        cluster.kill(4);
        killAfterPrepareSent(5, "crash-unprepared", "never");
        // Replica 4 never saw the PREPARE: asked by the restarted coordinator, it refuses the
        // transaction for good, and the coordinator aborts it everywhere.
        cluster.start(4);
        cluster.start(5);
        awaitConverged("crash-unprepared", "original", 1);
    }

    /** Writes through replica 1 until a write commits, restarting {@code crashing} whenever it halted. */
    private static WriteResult writeUntilCommitted(String key, String value, int crashing) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                WriteResult w = cluster.connection(1).kv().put(key, value);
                assertThat(cluster.awaitExit(crashing, Duration.ofSeconds(30))).isEqualTo(137);
                return w;
            } catch (TransactionAbortedException e) {
                if (!cluster.isRunning(crashing)) {
                    cluster.start(crashing, Map.of("chorus.fault", "participant-on-decision"));
                }
            }
        }
        throw new AssertionError("no write committed in 5 attempts");
    }

    /**
     * Restarts {@code coordinator} armed to halt once it has sent its PREPAREs, writes through it,
     * and checks that the client's call broke and the process halted there.
     */
    private static void killAfterPrepareSent(int coordinator, String key, String value) throws Exception {
        cluster.kill(coordinator);
        cluster.start(coordinator, Map.of("chorus.fault", "coordinator-after-prepare-sent"));
        assertThatThrownBy(() -> cluster.connection(coordinator).kv().put(key, value)).isInstanceOf(RemoteException.class);
        assertThat(cluster.awaitExit(coordinator, Duration.ofSeconds(30))).isEqualTo(137);
    }

    /** Every replica holds {@code value} at {@code version} under {@code key}, with nothing in doubt or in flight. */
    private static void awaitConverged(String key, String value, long version) {
        await(key + " converged").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().untilAsserted(() -> {
                    for (int r = 1; r <= 5; r++) {
                        ReadResult read = cluster.connection(r).kv().get(key);
                        assertThat(read.value()).as("replica %d", r).isEqualTo(value);
                        assertThat(read.version()).as("replica %d", r).isEqualTo(version);
                        var status = cluster.status(r);
                        assertThat(status.inDoubt()).as("in doubt at replica %d", r).isZero();
                        assertThat(status.inFlight()).as("in flight at replica %d", r).isZero();
                    }
                });
    }
}
