package chorus.server.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PREPAREs to one replica travel together: a few messages may be on their way to it at once, and
 * the PREPAREs that arrive while they are all out queue and leave together as the next message.
 * Under load many transactions then share one call there and, since the replica prepares a
 * message's transactions concurrently, one synced write; alone, a PREPARE leaves at once.
 *
 * <p>Unlike a decision, a PREPARE can wait at the replica (for a key that an earlier transaction
 * still holds there until its decision arrives), and a message is answered when its last vote is
 * known. Allowing more than one message in flight keeps such a wait from holding back every PREPARE
 * behind it. The coordinator's vote timeout applies to each transaction as before: a vote that
 * comes back after it is ignored.
 */
final class PrepareBatching {

    /** Messages on their way to one replica at once. */
    static final int MAX_IN_FLIGHT = 2;
    /** Bounds one message (a PREPARE carries its values, up to {@code Limits} per transaction). */
    static final int MAX_PER_MESSAGE = 64;

    private final PeerChannel channel;
    private final Executor calls;
    /** Where decisions waiting for the same replica come from, to ride along (null: none ride). */
    private final DecisionDelivery decisions;
    private final Map<Integer, Outbox> outboxes = new ConcurrentHashMap<>();

    PrepareBatching(PeerChannel channel, Executor calls) {
        this(channel, calls, null);
    }

    PrepareBatching(PeerChannel channel, Executor calls, DecisionDelivery decisions) {
        this.channel = channel;
        this.calls = calls;
        this.decisions = decisions;
    }

    /** Queues {@code request} for {@code replica}; the future completes with its vote or the message's failure. */
    CompletableFuture<Vote> prepare(int replica, PrepareRequest request) {
        CompletableFuture<Vote> vote = new CompletableFuture<>();
        outboxes.computeIfAbsent(replica, Outbox::new).offer(new Queued(request, vote));
        return vote;
    }

    private record Queued(PrepareRequest request, CompletableFuture<Vote> vote) {
    }

    private final class Outbox {
        private final int replica;
        private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();

        Outbox(int replica) {
            this.replica = replica;
        }

        void offer(Queued q) {
            queue.add(q);
            kick();
        }

        private void kick() {
            while (!queue.isEmpty()) {
                int n = inFlight.get();
                if (n >= MAX_IN_FLIGHT) {
                    return;
                }
                if (inFlight.compareAndSet(n, n + 1)) {
                    try {
                        calls.execute(this::send);
                    } catch (RejectedExecutionException e) {
                        inFlight.decrementAndGet();
                        failAll(e); // shutting down
                    }
                    return;
                }
            }
        }

        private void send() {
            try {
                List<Queued> batch = new ArrayList<>();
                for (Queued q; batch.size() < MAX_PER_MESSAGE && (q = queue.poll()) != null; ) {
                    if (!q.vote.isDone()) { // not cancelled: its coordinator still waits for the vote
                        batch.add(q);
                    }
                }
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
            } finally {
                inFlight.decrementAndGet();
                kick();
            }
        }

        private void deliver(List<Queued> batch) {
            DecisionDelivery.Riders riders = decisions == null ? null : decisions.ridersFor(replica);
            if (riders != null) {
                exchange(batch, riders);
                return;
            }
            try {
                if (batch.size() == 1) {
                    batch.get(0).vote.complete(channel.prepare(replica, batch.get(0).request));
                    return;
                }
                complete(batch, checked(batch, channel.prepareAll(replica, requestsOf(batch))));
            } catch (Exception e) {
                fail(batch, e);
            }
        }

        /** The PREPAREs and the decisions waiting for the same replica, as one message. */
        private void exchange(List<Queued> batch, DecisionDelivery.Riders riders) {
            Exchanged answer;
            try {
                answer = channel.exchange(replica, riders.decisions(), requestsOf(batch));
                checked(batch, answer.votes());
            } catch (Exception e) {
                riders.failed(e);
                fail(batch, e);
                return;
            }
            riders.acknowledged(answer.ack());
            complete(batch, answer.votes());
        }

        private List<Vote> checked(List<Queued> batch, List<Vote> votes) {
            if (votes.size() != batch.size()) {
                throw new IllegalStateException("replica " + replica + " answered " + votes.size() + " votes to "
                        + batch.size() + " PREPAREs");
            }
            return votes;
        }

        private static List<PrepareRequest> requestsOf(List<Queued> batch) {
            List<PrepareRequest> requests = new ArrayList<>(batch.size());
            for (Queued q : batch) {
                requests.add(q.request);
            }
            return requests;
        }

        private static void complete(List<Queued> batch, List<Vote> votes) {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).vote.complete(votes.get(i));
            }
        }

        private static void fail(List<Queued> batch, Exception e) {
            for (Queued q : batch) {
                q.vote.completeExceptionally(e);
            }
        }

        private void failAll(Exception e) {
            for (Queued q; (q = queue.poll()) != null; ) {
                q.vote.completeExceptionally(e);
            }
        }
    }
}
