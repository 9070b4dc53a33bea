package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import chorus.api.model.AbortCause;
import chorus.api.model.View;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PREPAREs to one replica: a bounded number of messages in flight, the ones that arrive meanwhile
 * leave together, and each transaction gets its own vote back (or the message's failure).
 */
class PrepareBatchingTest {

    private final ExecutorService calls = Executors.newCachedThreadPool();
    /**
     * Frees the first message in flight only. Were both freed at once, each could start a send and the
     * queued PREPAREs could leave split over two messages (allowed, but not what these tests look at).
     */
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    /** Frees the other messages held in flight. */
    private final CountDownLatch releaseRest = new CountDownLatch(1);
    /** Every message as it left: one request, or the list of a batch. */
    private final List<List<TxId>> messages = new CopyOnWriteArrayList<>();
    private volatile boolean failBatches;

    /** Holds the first {@link PrepareBatching#MAX_IN_FLIGHT} messages until released; votes NO for odd sequence numbers. */
    private final PeerChannel channel = new UnusedPeerChannel() {
        @Override
        public Vote prepare(int replica, PrepareRequest request) throws InterruptedException, ConnectException {
            return prepareAll(replica, List.of(request)).get(0);
        }

        @Override
        public List<Vote> prepareAll(int replica, List<PrepareRequest> requests) throws InterruptedException, ConnectException {
            int index;
            synchronized (messages) {
                messages.add(requests.stream().map(PrepareRequest::txId).toList());
                index = messages.size();
            }
            if (index == 1) {
                assertThat(releaseFirst.await(10, TimeUnit.SECONDS)).isTrue();
            } else if (index <= PrepareBatching.MAX_IN_FLIGHT) {
                assertThat(releaseRest.await(10, TimeUnit.SECONDS)).isTrue();
            }
            if (failBatches && requests.size() > 1) {
                throw new ConnectException("replica " + replica + " is down");
            }
            List<Vote> votes = new ArrayList<>();
            for (PrepareRequest r : requests) {
                votes.add(r.txId().sequence() % 2 == 0 ? new Vote.Yes(Map.of("k" + r.txId().sequence(), 1L))
                        : new Vote.No(AbortCause.CONFLICT, "odd " + r.txId().sequence()));
            }
            return votes;
        }
    };

    @AfterEach
    void stop() {
        calls.shutdownNow();
    }

    private static PrepareRequest request(long seq) {
        return new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), new TxId(1, 1, seq), new TxAge(seq, 1, seq), List.of(Mutation.put("k" + seq, "v")));
    }

    @Test
    void prepareQueuedBehindTheMessagesInFlightLeaveAsOneMessageAndEachGetsItsVote() throws Exception {
        PrepareBatching batching = new PrepareBatching(channel, calls);
        List<CompletableFuture<Vote>> first = new ArrayList<>();
        for (long seq = 1; seq <= PrepareBatching.MAX_IN_FLIGHT; seq++) {
            first.add(batching.prepare(2, request(seq)));
            long sent = seq;
            await().atMost(Duration.ofSeconds(10)).until(() -> messages.size() == sent);
        }
        List<CompletableFuture<Vote>> queued = new ArrayList<>();
        for (long seq = 10; seq < 14; seq++) {
            queued.add(batching.prepare(2, request(seq)));
        }

        releaseFirst.countDown(); // one slot frees: the queued PREPAREs take it together

        assertThat(queued.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(new Vote.Yes(Map.of("k10", 1L)));
        assertThat(queued.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(new Vote.No(AbortCause.CONFLICT, "odd 11"));
        assertThat(queued.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(new Vote.Yes(Map.of("k12", 1L)));
        assertThat(queued.get(3).get(10, TimeUnit.SECONDS)).isEqualTo(new Vote.No(AbortCause.CONFLICT, "odd 13"));
        releaseRest.countDown();
        for (CompletableFuture<Vote> f : first) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(messages).hasSize(PrepareBatching.MAX_IN_FLIGHT + 1);
        assertThat(messages.get(PrepareBatching.MAX_IN_FLIGHT))
                .containsExactly(new TxId(1, 1, 10), new TxId(1, 1, 11), new TxId(1, 1, 12), new TxId(1, 1, 13));
    }

    @Test
    void aFailedMessageFailsEveryTransactionInIt() throws Exception {
        failBatches = true;
        PrepareBatching batching = new PrepareBatching(channel, calls);
        for (long seq = 1; seq <= PrepareBatching.MAX_IN_FLIGHT; seq++) {
            batching.prepare(2, request(seq));
            long sent = seq;
            await().atMost(Duration.ofSeconds(10)).until(() -> messages.size() == sent);
        }
        CompletableFuture<Vote> a = batching.prepare(2, request(20));
        CompletableFuture<Vote> b = batching.prepare(2, request(21));

        releaseFirst.countDown(); // one slot frees: a and b take it as one message

        for (CompletableFuture<Vote> f : List.of(a, b)) {
            assertThat(catchThrowable(() -> f.get(10, TimeUnit.SECONDS)))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ConnectException.class)
                    .hasRootCauseMessage("replica 2 is down");
        }
        releaseRest.countDown();
    }
}
