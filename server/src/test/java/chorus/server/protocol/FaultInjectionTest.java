package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.TransactionAbortedException;
import chorus.api.model.AbortCause;
import chorus.api.model.EventType;
import chorus.api.model.FaultSpec;
import chorus.api.model.Mutation;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.WriteResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Injected faults over the in-memory cluster: refused when not allowed, then each kind doing what it says. */
class FaultInjectionTest {

    private final MemoryCluster cluster = new MemoryCluster(5);

    @AfterEach
    void close() {
        cluster.close();
    }

    private WriteResult put(int coordinator, String key, String value) throws Exception {
        return cluster.node(coordinator).execute(List.of(Mutation.put(key, value)));
    }

    private void allowAll() {
        for (int r = 1; r <= 5; r++) {
            cluster.node(r).faults().allow();
        }
    }

    @Test
    void faultsAreRefusedUnlessTheReplicaWasStartedToAllowThem() {
        assertThatThrownBy(() -> cluster.node(2).injectFault(FaultSpec.AtPoint.crash("coordinator-after-decision")))
                .isInstanceOf(NotPermittedException.class)
                .hasMessage("fault injection is disabled; start the replica with --allow-faults");
        assertThatThrownBy(() -> cluster.node(2).clearFaults()).isInstanceOf(NotPermittedException.class);
        assertThat(cluster.node(2).diagnostics().faultsAllowed()).isFalse();
    }

    @Test
    void unknownPointsAndPeersAreRejectedWithTheKnownNames() {
        allowAll();
        assertThatThrownBy(() -> cluster.node(2).injectFault(FaultSpec.AtPoint.crash("nowhere")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("participant-before-vote");
        assertThatThrownBy(() -> cluster.node(2).injectFault(new FaultSpec.OnMessages(2, FaultSpec.Direction.TO,
                FaultSpec.MessageAction.DROP, Duration.ZERO))).isInstanceOf(InvalidRequestException.class)
                .hasMessage("replica 2 is not a peer of replica 2");
    }

    @Test
    void aParticipantHungAfterVotingMakesTheCoordinatorAbortAtTheVoteTimeoutUntilCleared() throws Exception {
        allowAll();
        put(1, "warm-up", "so that a cold JVM does not miss the 300 ms vote timeout");
        cluster.node(3).injectFault(FaultSpec.AtPoint.hang("participant-after-vote", Duration.ZERO));
        assertThatThrownBy(() -> put(1, "k", "v1")).isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
            assertThat(e.abortCause()).isEqualTo(AbortCause.TIMEOUT);
            assertThat(e.reason()).contains("replica 3 did not vote");
        });
        assertThat(events(3)).extracting(ProtocolEvent::type).contains(EventType.FAULT_INJECTED, EventType.FAULT_HIT);
        cluster.node(3).clearFaults();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(3).diagnostics().transactions() == 0);
        assertThat(put(1, "k", "v2").version()).isEqualTo(1);
        assertThat(cluster.node(3).diagnostics().armedFaults()).isEmpty();
    }

    @Test
    void aHangWithADurationEndsByItselfAndFiresOnlyOnce() throws Exception {
        allowAll();
        cluster.node(4).injectFault(FaultSpec.AtPoint.hang("participant-before-vote", Duration.ofMillis(50)));
        assertThat(put(2, "k", "v1").version()).isEqualTo(1);
        assertThat(put(2, "k", "v2").version()).isEqualTo(2);
        assertThat(events(4)).filteredOn(e -> e.type() == EventType.FAULT_HIT).hasSize(1);
    }

    @Test
    void droppedOutgoingMessagesMakeTheCoordinatorAbortNamingThePeerWhileOthersStillCommit() throws Exception {
        allowAll();
        cluster.node(1).injectFault(new FaultSpec.OnMessages(4, FaultSpec.Direction.TO, FaultSpec.MessageAction.DROP, Duration.ZERO));
        assertThatThrownBy(() -> put(1, "k", "v1")).isInstanceOfSatisfying(TransactionAbortedException.class,
                e -> assertThat(e.reason()).contains("replica 4 is unreachable").contains("dropped (injected fault)"));
        assertThat(put(2, "k", "v2").version()).isEqualTo(1);
        cluster.node(1).clearFaults();
        assertThat(put(1, "k", "v3").version()).isEqualTo(2);
    }

    @Test
    void droppedIncomingMessagesAreRefusedByTheReceiver() throws Exception {
        allowAll();
        cluster.node(5).injectFault(new FaultSpec.OnMessages(2, FaultSpec.Direction.FROM, FaultSpec.MessageAction.DROP, Duration.ZERO));
        assertThatThrownBy(() -> put(2, "k", "v1")).isInstanceOf(TransactionAbortedException.class)
                .hasMessageContaining("replica 5 is unreachable");
        assertThat(put(3, "k", "v2").version()).isEqualTo(1);
    }

    @Test
    void delayedMessagesLongerThanTheVoteTimeoutAbortAndShorterOnesCommit() throws Exception {
        allowAll();
        cluster.node(1).injectFault(new FaultSpec.OnMessages(3, FaultSpec.Direction.BOTH, FaultSpec.MessageAction.DELAY,
                MemoryCluster.FAST.vote().multipliedBy(2)));
        assertThatThrownBy(() -> put(1, "k", "v1")).isInstanceOfSatisfying(TransactionAbortedException.class,
                e -> assertThat(e.abortCause()).isEqualTo(AbortCause.TIMEOUT));
        cluster.node(1).clearFaults();
        cluster.node(1).injectFault(new FaultSpec.OnMessages(3, FaultSpec.Direction.TO, FaultSpec.MessageAction.DELAY,
                Duration.ofMillis(20)));
        assertThat(put(1, "k2", "v").version()).isEqualTo(1);
    }

    @Test
    void aCoordinatorCrashingAfterCommitReachedSomeReplicasIsSettledByThePeersAndRecoversItself() throws Exception {
        allowAll();
        cluster.node(1).faults().onCrash(() -> {
            cluster.crash(1);
            throw new IllegalStateException("crashed at the fault point");
        });
        cluster.node(1).injectFault(FaultSpec.AtPoint.crash("coordinator-after-partial-commit"));
        CompletableFuture<WriteResult> w = CompletableFuture.supplyAsync(() -> {
            try {
                return put(1, "k", "v");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> w.get(10, TimeUnit.SECONDS)).hasMessageContaining("crashed at the fault point");
        // Replicas 2 and 3 got the COMMIT; 4 and 5 learn it from them by cooperative termination.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int r = 2; r <= 5; r++) {
                assertThat(cluster.node(r).get("k").value()).as("replica %d", r).isEqualTo("v");
                assertThat(cluster.node(r).diagnostics().lockedKeys()).isZero();
            }
        });
        // Recorded just after the outcome is applied and the locks are released, so awaited too.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(events(4)).extracting(ProtocolEvent::type).contains(EventType.RESOLVED));
        cluster.start(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(cluster.node(1).get("k").value()).isEqualTo("v");
            assertThat(cluster.node(1).diagnostics().undeliveredDecisions()).isZero();
            assertThat(cluster.node(1).diagnostics().transactions()).isZero();
        });
    }

    private List<ProtocolEvent> events(int replica) throws Exception {
        return cluster.node(replica).events(0, 10_000).events();
    }
}
