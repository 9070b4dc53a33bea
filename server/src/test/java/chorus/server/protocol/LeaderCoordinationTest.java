package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import chorus.api.InvalidRequestException;
import chorus.api.OutcomeUnknownException;
import chorus.api.TransactionAbortedException;
import chorus.api.WriteNotStartedException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.model.AbortCause;
import chorus.api.model.EventType;
import chorus.api.model.Mutation;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;
import chorus.api.model.WriteResult;
import chorus.api.rmi.CallDeadline;
import chorus.api.rmi.TimeoutClientSocketFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.rmi.ConnectException;
import java.rmi.RemoteException;
import java.rmi.ServerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code coordination = leader}: every replica's writes are coordinated by replica 1, over five in-memory replicas. */
class LeaderCoordinationTest {

    private final MemoryCluster cluster = new MemoryCluster(
            ClusterConfig.localhost(5, 7000, MemoryCluster.FAST).withCoordination(Coordination.LEADER));

    @AfterEach
    void close() {
        cluster.close();
    }

    private List<ProtocolEvent> events(int replica) throws Exception {
        return cluster.node(replica).events(0, 10_000).events();
    }

    @Test
    void aWriteThroughAnyReplicaIsCoordinatedByTheLeaderAndAppliedEverywhere() throws Exception {
        WriteResult w = cluster.node(3).execute(List.of(Mutation.put("k", "v")));
        assertThat(w.coordinator()).isEqualTo(1);
        assertThat(w.txId().coordinator()).isEqualTo(1);
        assertThat(w.version()).isEqualTo(1);
        for (int r = 1; r <= 5; r++) {
            assertThat(cluster.node(r).get("k").value()).as("replica %d", r).isEqualTo("v");
        }
        assertThat(events(1)).anyMatch(e -> e.role() == Role.COORDINATOR && e.type() == EventType.COMMITTED
                && e.txId().equals(w.txId()));
        assertThat(events(3)).noneMatch(e -> e.role() == Role.COORDINATOR);
        // The forwarding replica's own log says where the write went, under the leader's transaction id.
        assertThat(events(3)).filteredOn(e -> e.role() == Role.FORWARDER).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.FORWARDED);
            assertThat(e.txId()).isEqualTo(w.txId());
            assertThat(e.peer()).isEqualTo(1);
            assertThat(e.keys()).containsExactly("k");
            assertThat(e.elapsedMicros()).isNotNegative();
        });
        // The leader's own clients are served as before.
        assertThat(cluster.node(1).execute(List.of(Mutation.put("k", "w"))).version()).isEqualTo(2);
    }

    @Test
    void concurrentWritersOfEveryReplicaShareTheLeadersTransactions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<WriteResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int replica = 1 + i % 5;
                String key = "key-" + i;
                results.add(pool.submit(() -> cluster.node(replica).execute(List.of(Mutation.put(key, "v")))));
            }
            for (Future<WriteResult> f : results) {
                assertThat(f.get().coordinator()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        long transactions = cluster.node(1).status().commits();
        assertThat(transactions).as("200 writes from 10 clients share transactions").isLessThan(200);
        for (int r = 2; r <= 5; r++) {
            assertThat(cluster.node(r).status().commits()).as("replica %d coordinates nothing", r).isZero();
        }
        // Answered at the commit point: the other replicas apply the decisions just after.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int r = 1; r <= 5; r++) {
                assertThat(cluster.node(r).status().keyCount()).as("replica %d", r).isEqualTo(200);
            }
        });
    }

    @Test
    void theLeadersRefusalsReachTheClientUnchanged() throws Exception {
        cluster.node(2).execute(List.of(Mutation.put("k", "v")));
        assertThatThrownBy(() -> cluster.node(4).execute(List.of(new Mutation.Put("k", "x", 7))))
                .isInstanceOf(TransactionAbortedException.class)
                .satisfies(e -> assertThat(((TransactionAbortedException) e).abortCause()).isEqualTo(AbortCause.VERSION_MISMATCH));
        assertThat(cluster.node(4).get("k").value()).isEqualTo("v");
        assertThat(events(4)).filteredOn(e -> e.role() == Role.FORWARDER).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.FORWARDED);
            assertThat(e.reason()).startsWith("replica 1 aborted it: ");
        });
    }

    @Test
    void badInputIsRefusedByTheReceivingReplicaWithoutACall() {
        cluster.network.down(1);
        assertThatThrownBy(() -> cluster.node(2).execute(List.of()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void anUnreachableLeaderMeansNothingWasWrittenAndSaysWhichReplicaItWas() throws Exception {
        cluster.network.down(1);
        assertThatThrownBy(() -> cluster.node(3).execute(List.of(Mutation.put("k", "v"))))
                .isExactlyInstanceOf(WriteNotStartedException.class)
                .hasMessageContaining("replica 3 forwards writes to replica 1")
                .hasMessageContaining("nothing was written");
        assertThat(events(3)).filteredOn(e -> e.role() == Role.FORWARDER).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.UNREACHABLE);
            assertThat(e.txId()).isNull();
            assertThat(e.peer()).isEqualTo(1);
            assertThat(e.keys()).containsExactly("k");
            assertThat(e.reason()).contains("could not be reached").endsWith("nothing was written");
        });
        cluster.network.up(1);
        for (int r = 1; r <= 5; r++) {
            assertThat(cluster.node(r).get("k").found()).as("replica %d", r).isFalse();
        }
        assertThat(cluster.node(3).execute(List.of(Mutation.put("k", "v"))).version()).isEqualTo(1);
    }

    @Test
    void onlyAFailureBeforeTheLeaderStartedCountsAsNothingWritten() {
        assertThat(Forwarding.neverStarted(new ConnectException("refused", new java.net.ConnectException()))).isTrue();
        assertThat(Forwarding.neverStarted(new ServerException("x",
                new RemoteException("replica 1 is down (simulated failure)")))).isTrue();
        assertThat(Forwarding.neverStarted(new java.rmi.UnmarshalException("read", new SocketTimeoutException("Read timed out"))))
                .isFalse();
        assertThat(Forwarding.neverStarted(new RemoteException("connection reset"))).isFalse();
    }

    @Test
    void aLeaderThatFailsMidCallLeavesTheOutcomeUnknown() {
        PeerChannel failing = new UnusedPeerChannel() {
            @Override
            public WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception {
                throw new java.rmi.UnmarshalException("error unmarshalling return", new SocketTimeoutException("Read timed out"));
            }
        };
        EventLog events = new EventLog(4, 100, System::currentTimeMillis);
        ReplicaMetrics metrics = new ReplicaMetrics();
        assertThatThrownBy(() -> forwarding(failing, events, metrics, Duration.ofSeconds(10)).execute(List.of(Mutation.put("k", "v"))))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("replica 4 forwards writes to replica 1")
                .hasMessageContaining("Read timed out")
                .hasMessageContaining("may or may not have taken effect");
        // The timeout is in the forwarding replica's event log too, where a console tails it.
        assertThat(events.after(0, 10).events()).singleElement().satisfies(e -> {
            assertThat(e.role()).isEqualTo(Role.FORWARDER);
            assertThat(e.type()).isEqualTo(EventType.TIMED_OUT);
            assertThat(e.txId()).isNull();
            assertThat(e.reason()).contains("did not answer").contains("Read timed out").endsWith("outcome unknown");
        });
        assertThat(metrics.timeouts()).as("the replica's timeout counter").isEqualTo(1);
    }

    private static Forwarding forwarding(PeerChannel channel, EventLog events, ReplicaMetrics metrics, Duration budget) {
        return new Forwarding(4, () -> 1, channel, events, metrics, budget, Clock.SYSTEM);
    }

    @Test
    void aLeaderThatDoesNotAnswerWithinTheBudgetLeavesTheOutcomeUnknownBeforeTheSocketsOwnTimeout() throws Exception {
        // A paused leader: its kernel accepts the connection, nobody answers. The socket's own read
        // timeout is 30 s; the forward's budget, 200 ms, reaches the channel, and its socket through CallDeadline.
        try (ServerSocket pausedLeader = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PeerChannel toPausedLeader = new UnusedPeerChannel() {
                @Override
                public WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception {
                    // As RmiPeerChannel does: the budget bounds the reads of this thread's sockets.
                    return CallDeadline.within(budget, () -> {
                        try (Socket s = new TimeoutClientSocketFactory(1000, 30_000).createSocket("127.0.0.1",
                                pausedLeader.getLocalPort())) {
                            s.getInputStream().read();
                            throw new AssertionError("a paused leader answered");
                        } catch (SocketTimeoutException e) {
                            throw new java.rmi.UnmarshalException("error unmarshalling return header", e); // as RMI reports it
                        }
                    });
                }
            };
            EventLog events = new EventLog(4, 100, System::currentTimeMillis);
            ReplicaMetrics metrics = new ReplicaMetrics();
            Forwarding forwarding = forwarding(toPausedLeader, events, metrics, Duration.ofMillis(200));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> forwarding.execute(List.of(Mutation.put("k", "v"))))
                            .isInstanceOf(OutcomeUnknownException.class)
                            .hasMessageContaining("replica 4 forwards writes to replica 1, the coordinator of every write, which did not "
                                    + "answer within 200 ms")
                            .hasMessageContaining("may or may not have taken effect"));
            assertThat(events.after(0, 10).events()).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(EventType.TIMED_OUT);
                assertThat(e.reason()).contains("did not answer within 200 ms");
            });
            assertThat(metrics.timeouts()).isEqualTo(1);
        }
    }
}
