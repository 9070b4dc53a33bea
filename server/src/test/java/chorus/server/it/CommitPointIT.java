package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.model.EventType;
import chorus.api.model.FaultSpec;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.ReadResult;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The windows that answering at the commit point opens, on real replica processes: the write is
 * committed once every prepare is durable, before the coordinator's COMMIT record is written, and
 * the client has its answer while some replicas have not applied (or even received) the decision.
 * Whatever dies in those windows, the write ends up on every replica, and a read at a replica that
 * has not applied it yet waits for it rather than answer the old value.
 */
class CommitPointIT {

    @Replicas(value = 5, allowFaults = true)
    static LocalCluster cluster;

    /** A test that failed half-way leaves the next one a whole cluster. */
    @AfterEach
    void restore() throws Exception {
        for (int r = 1; r <= 5; r++) {
            if (!cluster.isRunning(r)) {
                cluster.start(r);
            }
            cluster.connection(r).admin().clearFaults();
        }
    }

    @Test
    void aCoordinatorKilledAfterAnsweringAndBeforeTheAcknowledgementsLosesNothing() throws Exception {
        // The first delivery of the decision to another replica hangs at the point: that replica
        // is never told by this incarnation of the coordinator.
        cluster.connection(2).admin().injectFault(FaultSpec.AtPoint.hang("coordinator-after-answer", Duration.ZERO));
        WriteResult w = cluster.connection(2).kv().put("answered", "before the acks");
        assertThat(w.version()).isEqualTo(1);
        await("the delivery held at the point").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(eventsOf(2, w.txId())).extracting(ProtocolEvent::type).contains(EventType.ANSWERED, EventType.FAULT_HIT)
                        .doesNotContain(EventType.ALL_ACKNOWLEDGED));

        cluster.kill(2);
        // The replica that was never told holds the write prepared; it asks, finds the coordinator
        // gone, and learns COMMITTED from the replicas that applied it.
        cluster.awaitValue("answered", "before the acks", 1, 3, 4, 5);
        cluster.start(2);
        cluster.awaitValue("answered", "before the acks", 1, 2, 3, 4, 5);
        cluster.awaitQuiet(2);
    }

    @Test
    void aCoordinatorKilledWithEveryPrepareDurableAndNoCommitRecordFindsTheWriteCommittedAfterRestart() throws Exception {
        // Parallel commit: once every member's prepare is durable, the coordinator's own included, the
        // write is committed; the COMMIT record is only a note of it. Killed before writing the note,
        // the coordinator finds its own prepare at the restart and asks every member.
        cluster.connection(2).admin().injectFault(FaultSpec.AtPoint.crash("coordinator-before-commit-record"));
        CompletableFuture<WriteResult> put = CompletableFuture.supplyAsync(() -> {
            try {
                return cluster.connection(2).kv().put("parallel", "committed by its prepares");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(cluster.awaitExit(2, Duration.ofSeconds(30))).isEqualTo(137);
        // The client never had an answer: not "aborted", only a broken call.
        assertThat(put).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .withRootCauseInstanceOf(java.io.IOException.class);

        cluster.start(2);
        cluster.awaitValue("parallel", "committed by its prepares", 1, 2, 3, 4, 5);
        cluster.awaitQuiet(2);
        assertThat(cluster.connection(2).admin().events(0, 10_000).events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.COMMITTED);
            assertThat(e.reason()).isEqualTo("every member holds it prepared: it committed when the last prepare became durable");
        });
    }

    @Test
    void aParticipantKilledAfterVotingYesDoesNotHoldUpTheAnswerAndAppliesTheWriteAfterRestart() throws Exception {
        cluster.connection(4).admin().injectFault(FaultSpec.AtPoint.crash("participant-on-decision"));
        WriteResult w = cluster.connection(1).kv().put("survivor", "committed");
        assertThat(w.version()).isEqualTo(1);
        assertThat(cluster.awaitExit(4, Duration.ofSeconds(30))).isEqualTo(137);
        assertThat(eventsOf(1, w.txId())).extracting(ProtocolEvent::type).contains(EventType.ANSWERED);
        cluster.awaitValue("survivor", "committed", 1, 2, 3, 5);

        // Its prepare record brings the transaction back; the coordinator, which kept its COMMIT
        // record for the missing acknowledgement, re-delivers it.
        cluster.start(4);
        cluster.awaitValue("survivor", "committed", 1, 2, 3, 4, 5);
        await("every acknowledgement in").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(eventsOf(1, w.txId())).extracting(ProtocolEvent::type).contains(EventType.ALL_ACKNOWLEDGED));
        cluster.awaitQuiet(1);
    }

    @Test
    void aReadAtAReplicaThatHasNotAppliedTheDecisionWaitsForItAndReturnsTheCommittedValue() throws Exception {
        WriteResult first = cluster.connection(1).kv().put("waited", "old");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(eventsOf(1, first.txId())).extracting(ProtocolEvent::type).contains(EventType.ALL_ACKNOWLEDGED));

        cluster.connection(3).admin().injectFault(FaultSpec.AtPoint.hang("participant-on-decision", Duration.ZERO));
        WriteResult w = cluster.connection(1).kv().put("waited", "new");
        assertThat(w.version()).isEqualTo(2);
        CompletableFuture<ReadResult> read = CompletableFuture.supplyAsync(() -> {
            try {
                return cluster.connection(3).kv().get("waited");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Replica 3 voted YES and has the decision, but has not applied it: answering "old" now
        // could contradict a read elsewhere that already saw "new".
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !read.isDone());
        cluster.connection(3).admin().clearFaults();
        ReadResult result = read.get(10, TimeUnit.SECONDS);
        assertThat(result.value()).isEqualTo("new");
        assertThat(result.version()).isEqualTo(2);
    }

    private static List<ProtocolEvent> eventsOf(int replica, TxId tx) throws Exception {
        return cluster.connection(replica).admin().events(0, 10_000).events().stream()
                .filter(e -> tx.equals(e.txId()) || e.type() == EventType.FAULT_HIT).toList();
    }
}
