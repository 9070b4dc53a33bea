package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import chorus.api.ChorusException;
import chorus.api.KeyValueService;
import chorus.api.OutcomeUnknownException;
import chorus.api.TransactionAbortedException;
import chorus.api.WriteNotStartedException;
import chorus.api.config.Coordination;
import chorus.api.model.EventType;
import chorus.api.model.FaultSpec;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;
import chorus.api.model.WriteResult;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code coordination = leader} across five replica JVMs: replica 1 coordinates every write, the others forward theirs. */
class LeaderCoordinationIT {

    @Replicas(value = 5, coordination = Coordination.LEADER, allowFaults = true)
    static LocalCluster cluster;

    /** A test that failed half-way leaves the next one a whole cluster without faults. */
    @AfterEach
    void restore() throws Exception {
        for (int r = 1; r <= 5; r++) {
            if (!cluster.isRunning(r)) {
                cluster.start(r);
                cluster.awaitUp(r);
            }
            cluster.connection(r).admin().clearFaults();
        }
    }

    @Test
    void aLeaderKilledAfterAnsweringAndBeforeTheAcknowledgementsLosesNothing() throws Exception {
        UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(4).kv(), "answered", "before");
        // The point must be reached by the next write's decision, not by one of this write's still leaving.
        cluster.awaitQuiet(1);
        // The leader's COMMIT record is synced and the forward answered; the COMMITs wait for a
        // ride (2 ms), and the first to leave crashes the leader.
        cluster.connection(1).admin().injectFault(FaultSpec.AtPoint.crash("coordinator-after-answer"));
        Throwable failure = catchThrowable(() -> cluster.connection(4).kv().put("answered", "committed"));
        assertThat(cluster.awaitExit(1, Duration.ofSeconds(30))).isEqualTo(137);
        // Usually the answer left before the crash; on a loaded machine the crash may come first,
        // and then the call reached the leader: an unknown outcome, never "nothing was written".
        if (failure != null) {
            assertThat(failure).isInstanceOf(OutcomeUnknownException.class)
                    .hasMessageContaining("replica 4 forwards writes to replica 1");
        }

        // A replica whose COMMIT left on another thread as the leader halted may have it; the
        // others hold the write prepared until they learn it from such a replica or from the
        // leader, back with its COMMIT record.
        cluster.start(1);
        cluster.awaitValue("answered", "committed", 1, 2, 3, 4, 5);
        cluster.awaitQuiet(1);
    }

    @Test
    void writesThroughEveryReplicaAreCoordinatedByReplicaOne() throws Exception {
        UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "warm", "up");
        long[] commitsBefore = new long[6];
        for (int r = 1; r <= 5; r++) {
            commitsBefore[r] = cluster.status(r).commits();
        }
        for (int r = 1; r <= 5; r++) {
            WriteResult w = cluster.connection(r).kv().put("via-" + r, "v" + r);
            assertThat(w.coordinator()).as("write through replica %d", r).isEqualTo(1);
            assertThat(w.txId().coordinator()).isEqualTo(1);
        }
        assertThat(cluster.status(1).commits() - commitsBefore[1]).isEqualTo(5);
        for (int r = 2; r <= 5; r++) {
            assertThat(cluster.status(r).commits()).as("replica %d coordinated nothing", r).isEqualTo(commitsBefore[r]);
        }
        for (int reader = 1; reader <= 5; reader++) {
            for (int r = 1; r <= 5; r++) {
                assertThat(cluster.connection(reader).kv().get("via-" + r).value()).isEqualTo("v" + r);
            }
        }
        // A conditional write is judged by the leader, and its refusal reaches the client unchanged.
        assertThatThrownBy(() -> cluster.connection(4).kv().execute(
                java.util.List.of(new chorus.api.model.Mutation.Put("via-4", "x", 9))))
                .isInstanceOf(TransactionAbortedException.class).hasMessageContaining("expected 9");
        assertThat(cluster.connection(4).kv().get("via-4").value()).isEqualTo("v4");
    }

    @Test
    void aFailedLeaderRefusesForwardedWritesAtOnceAndNothingIsWritten() throws Exception {
        KeyValueService kv = cluster.connection(2).kv();
        UnavailableReplicaIT.putWhileWarmingUp(kv, "lead", "before");
        cluster.connection(1).admin().setSimulatedFailure(true);
        try {
            assertThatThrownBy(() -> kv.put("lead", "during"))
                    .isExactlyInstanceOf(WriteNotStartedException.class)
                    .hasMessageContaining("replica 2 forwards writes to replica 1")
                    .hasMessageContaining("simulated failure")
                    .hasMessageContaining("nothing was written");
            // Reads stay local.
            assertThat(kv.get("lead").value()).isEqualTo("before");
            // Replica 2's own event log, which a console tails, shows the forward that failed.
            java.util.List<EventType> forwards = cluster.events(2).stream()
                    .filter(e -> e.role() == Role.FORWARDER && e.keys().contains("lead")).map(ProtocolEvent::type).toList();
            assertThat(forwards).contains(EventType.FORWARDED).last().isEqualTo(EventType.UNREACHABLE);
        } finally {
            cluster.connection(1).admin().setSimulatedFailure(false);
        }
        assertThat(kv.put("lead", "after").version()).isEqualTo(2);
    }

    @Test
    void aKilledLeaderIsNamedAndWritesResumeOnceItIsBack() throws Exception {
        KeyValueService kv = cluster.connection(5).kv();
        UnavailableReplicaIT.putWhileWarmingUp(kv, "killed", "before");
        cluster.kill(1);
        try {
            // The first call may go out on a connection pooled before the kill and find it closed
            // only when reading the answer: replica 5 cannot tell that from a leader that died during
            // the write, so it says the outcome is unknown. A new connection is refused: nothing written.
            assertThatThrownBy(() -> kv.put("killed", "during"))
                    .isInstanceOf(ChorusException.class)
                    .hasMessageContaining("replica 5 forwards writes to replica 1")
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("nothing was written", "may or may not have taken effect"));
            assertThatThrownBy(() -> kv.put("killed", "during"))
                    .isExactlyInstanceOf(WriteNotStartedException.class)
                    .hasMessageContaining("replica 5 forwards writes to replica 1")
                    .hasMessageContaining("could not be reached")
                    .hasMessageContaining("nothing was written");
            for (int r = 2; r <= 5; r++) {
                assertThat(cluster.connection(r).kv().get("killed").value()).as("replica %d", r).isEqualTo("before");
            }
        } finally {
            cluster.start(1);
            cluster.awaitUp(1);
        }
        await("writes through replica 5 commit again").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(ChorusException.class)
                .until(() -> kv.put("killed", "after").coordinator() == 1);
        for (int r = 1; r <= 5; r++) {
            int reader = r;
            await().atMost(Duration.ofSeconds(10)).until(() -> "after".equals(cluster.connection(reader).kv().get("killed").value()));
        }
    }

    @Test
    void aPausedLeaderIsReportedBeforeTheClientsReadTimeoutAndTheForwarderRecordsIt() throws Exception {
        KeyValueService kv = cluster.connection(3).kv();
        UnavailableReplicaIT.putWhileWarmingUp(kv, "stopped", "before");
        long timeoutsBefore = cluster.status(3).timeouts();
        cluster.pause(1);
        boolean nothingWritten;
        try {
            // Replica 3 forwards to the stopped leader and stops waiting at the forward's budget (half
            // the transaction deadline), so the client hears from it before its own read timeout (which
            // would have given a bare RemoteException). Which answer depends on the pooled connection:
            // if the call went out, the outcome is unknown; if RMI first pinged an idle connection and
            // had to open a new one, the call never went out and nothing was written.
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> kv.put("stopped", "during"));
            assertThat(failure).isInstanceOfAny(chorus.api.OutcomeUnknownException.class, WriteNotStartedException.class)
                    .hasMessageContaining("replica 3 forwards writes to replica 1");
            nothingWritten = failure instanceof WriteNotStartedException;
            EventType recorded = nothingWritten ? EventType.UNREACHABLE : EventType.TIMED_OUT;
            assertThat(failure.getMessage()).contains(nothingWritten ? "could not be reached" : "did not answer within");
            // Replica 3 says so in its event log (and counts a timeout in its status).
            await("replica 3 records the failed forward").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(cluster.events(3)).anySatisfy(e -> {
                        assertThat(e.role()).isEqualTo(Role.FORWARDER);
                        assertThat(e.type()).isEqualTo(recorded);
                        assertThat(e.keys()).containsExactly("stopped");
                    }));
            if (!nothingWritten) {
                assertThat(cluster.status(3).timeouts()).isGreaterThan(timeoutsBefore);
            }
        } finally {
            cluster.resume(1);
        }
        // Once the leader runs again the write's fate is decided one way, the same everywhere.
        await("every replica agrees on the key").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String first = cluster.connection(1).kv().get("stopped").value();
            assertThat(first).isIn("before", nothingWritten ? "before" : "during");
            for (int r = 2; r <= 5; r++) {
                assertThat(cluster.connection(r).kv().get("stopped").value()).isEqualTo(first);
            }
        });
        await("writes through replica 3 commit again").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(ChorusException.class)
                .until(() -> kv.put("stopped", "after").coordinator() == 1);
    }
}
