package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.NotPermittedException;
import chorus.api.TransactionAbortedException;
import chorus.api.model.AbortCause;
import chorus.api.model.EventType;
import chorus.api.model.FaultSpec;
import chorus.api.model.ProtocolEvent;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.rmi.RemoteException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Injected faults over RMI against real replica processes: refused without --allow-faults, and
 * each kind doing what docs/protocol.md says when allowed.
 */
class FaultInjectionIT {

    @Replicas(value = 5, allowFaults = true)
    static LocalCluster cluster;

    @Test
    void aReplicaStartedWithoutTheFlagRefusesFaults() throws Exception {
        cluster.kill(5);
        cluster.allowFaults(false);
        try {
            cluster.start(5);
        } finally {
            cluster.allowFaults(true);
        }
        assertThatThrownBy(() -> cluster.connection(5).admin().injectFault(FaultSpec.AtPoint.crash("participant-before-vote")))
                .isInstanceOf(NotPermittedException.class)
                .hasMessage("fault injection is disabled; start the replica with --allow-faults");
        assertThat(cluster.connection(5).admin().diagnostics().faultsAllowed()).isFalse();
        cluster.kill(5);
        cluster.start(5);
        assertThat(cluster.connection(5).admin().diagnostics().faultsAllowed()).isTrue();
    }

    @Test
    void aParticipantCrashedBeforeVotingHaltsAndTheWriteAbortsNamingIt() throws Exception {
        cluster.connection(3).admin().injectFault(FaultSpec.AtPoint.crash("participant-before-vote"));
        assertThatThrownBy(() -> cluster.connection(1).kv().put("before-vote", "never"))
                .isInstanceOfSatisfying(TransactionAbortedException.class, e -> assertThat(e.reason()).contains("replica 3"));
        assertThat(cluster.awaitExit(3, Duration.ofSeconds(30))).isEqualTo(137);
        cluster.start(3);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> cluster.connection(1).kv().put("before-vote", "after restart").version() == 1);
    }

    @Test
    void aCoordinatorCrashedAfterAPartialCommitIsSettledByItsPeersAndRecovers() throws Exception {
        cluster.connection(2).admin().injectFault(FaultSpec.AtPoint.crash("coordinator-after-partial-commit"));
        assertThatThrownBy(() -> cluster.connection(2).kv().put("partial", "committed")).isInstanceOf(RemoteException.class);
        assertThat(cluster.awaitExit(2, Duration.ofSeconds(30))).isEqualTo(137);
        cluster.awaitValue("partial", "committed", 1, 3, 4, 5);
        cluster.start(2);
        cluster.awaitValue("partial", "committed", 1, 2, 3, 4, 5);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.connection(2).admin().diagnostics())
                .satisfies(d -> {
                    assertThat(d.undeliveredDecisions()).isZero();
                    assertThat(d.lockedKeys()).isZero();
                }));
    }

    @Test
    void aHungParticipantTimesTheVoteOutUntilTheFaultsAreCleared() throws Exception {
        cluster.connection(4).admin().injectFault(FaultSpec.AtPoint.hang("participant-after-vote", Duration.ZERO));
        assertThatThrownBy(() -> cluster.connection(1).kv().put("hung", "never"))
                .isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
                    assertThat(e.abortCause()).isEqualTo(AbortCause.TIMEOUT);
                    assertThat(e.reason()).isEqualTo("replica 4 did not vote within 1500 ms");
                });
        assertThat(cluster.connection(4).admin().events(0, 10_000).events()).extracting(ProtocolEvent::type)
                .contains(EventType.FAULT_INJECTED, EventType.FAULT_HIT);
        cluster.connection(4).admin().clearFaults();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> cluster.connection(1).kv().put("hung", "after clearing").version() == 1);
    }

    @Test
    void messagesDroppedAtTheReceiverOverRmiAbortTheWriteAsUnreachable() throws Exception {
        cluster.connection(5).admin().injectFault(new FaultSpec.OnMessages(1, FaultSpec.Direction.FROM,
                FaultSpec.MessageAction.DROP, Duration.ZERO));
        try {
            assertThatThrownBy(() -> cluster.connection(1).kv().put("dropped", "never"))
                    .isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
                        assertThat(e.abortCause()).isEqualTo(AbortCause.UNREACHABLE);
                        assertThat(e.reason()).contains("replica 5 is unreachable").contains("dropped (injected fault)");
                    });
            assertThat(cluster.connection(3).kv().put("dropped", "from 3").version()).isEqualTo(1);
            assertThat(cluster.connection(5).admin().diagnostics().armedFaults()).containsExactly("incoming: drop messages from replica 1");
        } finally {
            cluster.connection(5).admin().clearFaults();
        }
        assertThat(cluster.connection(1).kv().put("dropped", "from 1").version()).isEqualTo(2);
    }
}
