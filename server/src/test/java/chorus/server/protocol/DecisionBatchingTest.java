package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.model.Decision;
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

/** Phase two sends one message per replica at a time; decisions that arrive meanwhile leave together. */
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
        DecisionDelivery delivery = new DecisionDelivery(1, channel, new MemoryStore(), new EventLog(1, 100, System::currentTimeMillis),
                new ReplicaMetrics(), Duration.ofSeconds(1), calls, () -> false, Clock.SYSTEM);
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
}
