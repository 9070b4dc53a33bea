package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.config.ClusterConfig;
import chorus.api.model.Decision;
import chorus.api.model.View;
import chorus.api.model.TxId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Phase two sends one message per replica at a time; decisions that arrive meanwhile leave together.
 * With a ride wait, a COMMIT waits for a PREPARE to the same replica to carry it, and leaves alone
 * when none comes in time.
 */
class DecisionBatchingTest {

    private final ExecutorService calls = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<List<Decided>> messages = new CopyOnWriteArrayList<>();

    /** Holds the first message to replica 2 until released, to let others queue behind it. */
    private final PeerChannel channel = new UnusedPeerChannel() {
        @Override
        public void decide(int replica, TxId txId, Decision decision) {
            throw new AssertionError("decisions travel through decideAll");
        }

        @Override
        public DecisionAck decideAll(int replica, List<Decided> decisions) throws InterruptedException {
            messages.add(List.copyOf(decisions));
            if (messages.size() == 1) {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            }
            return DecisionAck.DURABLE;
        }
    };

    @AfterEach
    void stop() {
        calls.shutdownNow();
    }

    private PendingDecision decision(long seq) {
        return new PendingDecision(new TxId(1, 1, seq), Decision.COMMIT, List.of("k" + seq), "put k" + seq, Set.of(2), 0);
    }

    @Test
    void decisionsQueuedBehindAMessageInFlightLeaveAsOneMessage() {
        DecisionDelivery delivery = new DecisionDelivery(1, () -> 1, channel, new MemoryStore(), new EventLog(1, 100, System::currentTimeMillis),
                new ReplicaMetrics(), Duration.ofSeconds(1), Duration.ZERO, null, calls, () -> false, Clock.SYSTEM);
        PendingDecision first = decision(1);
        delivery.send(first, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.size() == 1);
        List<PendingDecision> queued = List.of(decision(2), decision(3), decision(4));
        queued.forEach(pd -> delivery.send(pd, false));

        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> queued.stream().allMatch(PendingDecision::done) && first.done());
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1)).extracting(Decided::txId)
                .containsExactly(new TxId(1, 1, 2), new TxId(1, 1, 3), new TxId(1, 1, 4));
    }

    private final List<String> exchanges = new CopyOnWriteArrayList<>();
    private final Timer timer = Scheduler.threads().newTimer("ride-test");

    /** Records every message to replica 2 as decisions and PREPAREs, answering YES. */
    private final PeerChannel recording = new UnusedPeerChannel() {
        @Override
        public DecisionAck decideAll(int replica, List<Decided> decisions) {
            exchanges.add("DECIDE " + decisions.stream().map(d -> d.txId().toString()).toList());
            return DecisionAck.DURABLE;
        }

        @Override
        public Vote prepare(int replica, PrepareRequest request) {
            exchanges.add("PREPARE " + request.txId());
            return new Vote.Yes(java.util.Map.of());
        }

        @Override
        public Exchanged exchange(int replica, List<Decided> decisions, List<PrepareRequest> prepares) {
            exchanges.add("EXCHANGE " + decisions.stream().map(d -> d.txId().toString()).toList() + " "
                    + prepares.stream().map(r -> r.txId().toString()).toList());
            return new Exchanged(DecisionAck.DURABLE, prepares.stream().map(r -> (Vote) new Vote.Yes(java.util.Map.of())).toList());
        }
    };

    private DecisionDelivery riding(Duration wait, Timer departures) {
        // Replica 1 coordinates and is the lock primary; replica 2 is a participant.
        return new DecisionDelivery(1, () -> 1, recording, new MemoryStore(), new EventLog(1, 100, System::currentTimeMillis),
                new ReplicaMetrics(), Duration.ofSeconds(1), wait, departures, calls, () -> false, Clock.SYSTEM);
    }

    /** A timer whose tasks run only when the test says so, and {@code after} tells what was scheduled. */
    private static final class ManualTimer implements Timer {
        final List<Duration> scheduled = new CopyOnWriteArrayList<>();
        final List<Runnable> tasks = new CopyOnWriteArrayList<>();

        @Override
        public void every(Duration initialDelay, Duration period, Runnable task) {
            throw new AssertionError("not used");
        }

        @Override
        public void after(Duration delay, Runnable task) {
            scheduled.add(delay);
            tasks.add(task);
        }

        @Override
        public void close() {
        }
    }

    @AfterEach
    void stopTimer() {
        timer.close();
    }

    @Test
    void aCommitWaitingForARideLeavesWithTheNextPrepareToTheSameReplica() throws Exception {
        ManualTimer departures = new ManualTimer();
        DecisionDelivery delivery = riding(ClusterConfig.MAX_RIDE_WAIT, departures);
        PrepareBatching prepares = new PrepareBatching(recording, calls, delivery);
        PendingDecision first = decision(1);
        delivery.send(first, false);
        assertThat(departures.scheduled).containsExactly(ClusterConfig.MAX_RIDE_WAIT);
        Vote vote = prepares.prepare(2, new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), new TxId(1, 1, 2), new TxAge(1, 1, 2),
                List.of(chorus.api.model.Mutation.put("k1", "v")))).get(10, TimeUnit.SECONDS);

        assertThat(vote).isInstanceOf(Vote.Yes.class);
        assertThat(first.done()).isTrue();
        assertThat(exchanges).containsExactly("EXCHANGE [t1.1.1] [t1.1.2]");
        // The departure finds nothing left to send.
        departures.tasks.forEach(Runnable::run);
        assertThat(exchanges).hasSize(1);
    }

    @Test
    void aCommitThatNoPrepareCarriesLeavesAloneAfterTheRideWait() {
        DecisionDelivery delivery = riding(Duration.ofMillis(5), timer);
        PendingDecision first = decision(1);
        delivery.send(first, false);
        await().atMost(Duration.ofSeconds(10)).until(first::done);
        assertThat(exchanges).containsExactly("DECIDE [t1.1.1]");
    }

    @Test
    void decisionsForTheLockPrimaryNeverWait() {
        // Replica 2 is the primary here: every LOCK queues behind its decisions, so they leave at once
        // (with a ride wait far longer than this test's patience, a wait would show).
        DecisionDelivery delivery = new DecisionDelivery(1, () -> 2, recording, new MemoryStore(),
                new EventLog(1, 100, System::currentTimeMillis), new ReplicaMetrics(), Duration.ofSeconds(1),
                ClusterConfig.MAX_RIDE_WAIT, new Timer() {
                    @Override
                    public void every(Duration initialDelay, Duration period, Runnable task) {
                        throw new AssertionError("not used");
                    }

                    @Override
                    public void after(Duration delay, Runnable task) {
                        throw new AssertionError("a decision for the lock primary waited for a ride");
                    }

                    @Override
                    public void close() {
                    }
                }, calls, () -> false, Clock.SYSTEM);
        PendingDecision first = decision(1);
        delivery.send(first, false);
        await().atMost(Duration.ofSeconds(10)).until(first::done);
        assertThat(exchanges).containsExactly("DECIDE [t1.1.1]");
    }
}
