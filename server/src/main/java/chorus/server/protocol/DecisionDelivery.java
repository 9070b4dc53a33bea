package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.EventType;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase two's second chance: decisions that some replica has not acknowledged are re-sent in the
 * background until it does. A COMMIT's durable record is forgotten only once every replica has
 * acknowledged it and synced it, since until then a participant may still ask for it: replicas
 * apply a COMMIT without syncing it on its own, and their answers say how far they have synced
 * (see {@link DecisionAck}); the replicas still behind are asked again every resolve interval.
 */
public final class DecisionDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionDelivery.class);

    private final int self;
    /** The current lock primary: its decisions never wait for a ride, since every LOCK queues behind them there. */
    private final java.util.function.IntSupplier primary;
    private final PeerChannel channel;
    private final ReplicaStore store;
    private final EventLog events;
    private final ReplicaMetrics metrics;
    private final long ackTimeoutNanos;
    private final Duration rideWait;
    private final Timer timer;
    private final ExecutorService calls;
    private final BooleanSupplier paused;
    private final Clock clock;
    private final Map<TxId, PendingDecision> undelivered = new ConcurrentHashMap<>();
    private final Map<Integer, Outbox> outboxes = new ConcurrentHashMap<>();
    /** Per replica, the COMMITs it acknowledged but had not synced yet. */
    private final Map<Integer, Set<PendingDecision>> unsynced = new ConcurrentHashMap<>();
    /** Replicas with a durability question on its way. */
    private final Set<Integer> asking = ConcurrentHashMap.newKeySet();
    /** Bounds one message (each decision is a few dozen bytes). */
    static final int MAX_DECISIONS_PER_MESSAGE = 512;

    /**
     * @param ackTimeout how long after its decision a replica's acknowledgement may take before it is
     *                   reported late (a TIMED_OUT event, once per replica and decision)
     * @param rideWait   how long a COMMIT for a replica other than this one and the lock primary may
     *                   wait for a PREPARE to the same replica to carry it (zero: it leaves at once
     *                   unless a message to that replica is on its way)
     * @param timer      runs the departures of decisions that waited for a ride in vain (unused when
     *                   {@code rideWait} is zero)
     */
    public DecisionDelivery(int self, java.util.function.IntSupplier primary, PeerChannel channel, ReplicaStore store, EventLog events, ReplicaMetrics metrics,
                            Duration ackTimeout, Duration rideWait, Timer timer, ExecutorService calls, BooleanSupplier paused,
                            Clock clock) {
        this.self = self;
        this.primary = primary;
        this.rideWait = rideWait;
        this.timer = timer;
        this.channel = channel;
        this.store = store;
        this.events = events;
        this.metrics = metrics;
        this.ackTimeoutNanos = ackTimeout.toNanos();
        this.calls = calls;
        this.paused = paused;
        this.clock = clock;
    }

    /**
     * Sends {@code pd} to every replica still owed it, in parallel, reporting each acknowledgement.
     * Decisions for one replica go out as one message per round trip: while a message is on its way,
     * the decisions that arrive meanwhile queue and leave together as the next one, so under load
     * many transactions share one call and one synced write there, and alone a decision leaves at once.
     */
    void send(PendingDecision pd, boolean retry) {
        long t0 = clock.nanoTime();
        for (int replica : pd.claimUnsent()) {
            outboxes.computeIfAbsent(replica, Outbox::new).offer(new Outgoing(pd, retry, t0));
        }
    }

    /**
     * Applies {@code pd} at this replica in the calling thread, before anything else is sent: the
     * commit point's own apply, after which the client is answered. An apply that failed is retried
     * in the background like any unacknowledged decision.
     *
     * @return null if it was applied here (or is already on its way here), else why not (a full
     *         disk, say), for the coordinator to tell its client
     */
    String applyHere(PendingDecision pd) {
        return pd.claim(self) ? deliver(self, List.of(new Outgoing(pd, false, clock.nanoTime()))) : null;
    }

    private record Outgoing(PendingDecision pd, boolean retry, long sentNanos) {
    }

    /**
     * Decisions for {@code replica} that wait for a ride, taken by a PREPARE message about to leave
     * for it (see {@link PrepareBatching}), with the fault point of the commit point's window passed
     * for them; null if none wait.
     */
    Riders ridersFor(int replica) {
        Outbox box = replica == self ? null : outboxes.get(replica);
        if (box == null || box.queue.isEmpty()) {
            return null;
        }
        List<Outgoing> taken = new ArrayList<>();
        for (Outgoing o; taken.size() < MAX_DECISIONS_PER_MESSAGE && (o = box.queue.poll()) != null; ) {
            taken.add(o);
        }
        if (taken.isEmpty()) {
            return null;
        }
        beforeSending(replica, taken);
        return new Riders(replica, taken);
    }

    /** Decisions travelling in a message of another kind; the carrier reports how it went. */
    final class Riders {
        private final int replica;
        private final List<Outgoing> outgoing;

        private Riders(int replica, List<Outgoing> outgoing) {
            this.replica = replica;
            this.outgoing = outgoing;
        }

        List<Decided> decisions() {
            return decidedOf(outgoing);
        }

        void acknowledged(DecisionAck ack) {
            settle(replica, outgoing, ack);
        }

        void failed(Exception e) {
            DecisionDelivery.this.failed(replica, outgoing, e);
        }
    }

    /** The decisions waiting for one replica, and whether a message to it is on its way. */
    private final class Outbox {
        private final int replica;
        private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean busy = new AtomicBoolean();
        /** A departure after the ride wait is scheduled. */
        private final AtomicBoolean departure = new AtomicBoolean();

        Outbox(int replica) {
            this.replica = replica;
        }

        void offer(Outgoing o) {
            queue.add(o);
            if (mayWaitForARide(o)) {
                if (departure.compareAndSet(false, true)) {
                    try {
                        timer.after(rideWait, () -> {
                            departure.set(false);
                            kick();
                        });
                    } catch (RejectedExecutionException e) {
                        departure.set(false); // shutting down: what is queued is re-delivered after a restart
                    }
                }
                return;
            }
            kick();
        }

        /**
         * A first send of a COMMIT to a replica that is not the lock primary may wait for a ride:
         * nobody waits for its acknowledgement, and the replica keeps the keys prepared meanwhile.
         * An ABORT is waited for (a retry follows it), a re-delivery has waited long enough.
         */
        private boolean mayWaitForARide(Outgoing o) {
            return !rideWait.isZero() && replica != self && replica != primary.getAsInt() && !o.retry && o.pd.decision == Decision.COMMIT;
        }

        private void kick() {
            if (!queue.isEmpty() && busy.compareAndSet(false, true)) {
                try {
                    calls.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    busy.set(false); // shutting down: what is queued is re-delivered after a restart
                }
            }
        }

        private void drain() {
            try {
                List<Outgoing> batch = new ArrayList<>();
                for (Outgoing o; batch.size() < MAX_DECISIONS_PER_MESSAGE && (o = queue.poll()) != null; ) {
                    batch.add(o);
                }
                if (!batch.isEmpty()) {
                    deliver(replica, batch);
                }
            } finally {
                busy.set(false);
                kick();
            }
        }
    }

    /** Sends {@code batch} to {@code replica} and settles it; null if it was delivered, else why not. */
    private String deliver(int replica, List<Outgoing> batch) {
        beforeSending(replica, batch);
        DecisionAck ack;
        try {
            ack = channel.decideAll(replica, decidedOf(batch));
        } catch (Exception e) {
            failed(replica, batch, e);
            // The replica's own words where there are some (a local apply's "disk full: …").
            return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : Calls.describe(e);
        }
        settle(replica, batch, ack);
        return null;
    }

    private static List<Decided> decidedOf(List<Outgoing> batch) {
        List<Decided> decisions = new ArrayList<>(batch.size());
        for (Outgoing o : batch) {
            decisions.add(new Decided(o.pd.txId, o.pd.decision));
        }
        return decisions;
    }

    private void beforeSending(int replica, List<Outgoing> batch) {
        if (replica == self) {
            return;
        }
        for (Outgoing o : batch) {
            if (o.pd.wasAnswered()) {
                // The window that answering at the commit point opened: the client has its answer
                // (or is getting it), this replica has not yet been told.
                FaultPoint.COORDINATOR_AFTER_ANSWER.hit(self, o.pd.txId);
                break;
            }
        }
    }

    private void failed(int replica, List<Outgoing> batch, Exception e) {
        for (Outgoing o : batch) {
            o.pd.sendFailed(replica);
        }
        LOG.debug("{} decisions to replica {} failed: {}", batch.size(), replica, Calls.describe(e));
    }

    private void settle(int replica, List<Outgoing> batch, DecisionAck ack) {
        long now = clock.nanoTime();
        // Earlier COMMITs this answer shows synced there first: the ones just applied may not be.
        synced(replica, ack);
        for (Outgoing o : batch) {
            PendingDecision pd = o.pd;
            boolean last = pd.acknowledged(replica, ack);
            if (pd.awaitsSync(replica)) {
                unsynced.computeIfAbsent(replica, r -> ConcurrentHashMap.newKeySet()).add(pd);
            }
            events.record(Role.COORDINATOR, EventType.ACKNOWLEDGED, pd.txId, replica, pd.keys, pd.operation,
                    o.retry ? "re-delivered " + pd.decision : "", (now - o.sentNanos) / 1000);
            if (last) {
                events.record(Role.COORDINATOR, EventType.ALL_ACKNOWLEDGED, pd.txId, 0, pd.keys, pd.operation,
                        pd.decision + " acknowledged by every replica", (now - pd.decidedNanos) / 1000);
            }
            if (pd.settled()) {
                completed(pd);
            }
        }
    }

    /** Settles the COMMITs that {@code ack} shows durable at {@code replica}, or owed again after its restart. */
    private void synced(int replica, DecisionAck ack) {
        Set<PendingDecision> waiting = unsynced.get(replica);
        if (waiting == null || waiting.isEmpty()) {
            return;
        }
        for (PendingDecision pd : waiting) {
            if (pd.synced(replica, ack)) {
                waiting.remove(pd);
                if (pd.settled()) {
                    completed(pd);
                }
            }
        }
    }

    /** Asks each replica that has not synced some acknowledged COMMIT to sync and say so. */
    private void askDurability() {
        unsynced.forEach((replica, waiting) -> {
            if (waiting.isEmpty() || !asking.add(replica)) {
                return;
            }
            try {
                calls.execute(() -> {
                    try {
                        synced(replica, channel.durability(replica));
                    } catch (Exception e) {
                        LOG.debug("durability question to replica {} failed: {}", replica, Calls.describe(e));
                    } finally {
                        asking.remove(replica);
                    }
                });
            } catch (RejectedExecutionException e) {
                asking.remove(replica); // shutting down
            }
        });
    }

    /** Hands over a decision whose acknowledgements did not all arrive in time. */
    void track(PendingDecision pd) {
        if (!pd.settled()) {
            undelivered.put(pd.txId, pd);
            if (pd.settled()) {
                completed(pd);
            }
        }
    }

    /**
     * Loads COMMIT decisions that were not fully acknowledged before a restart: every member of each
     * transaction's view gets them again ({@code firstView}'s for records written before views existed).
     */
    public int recover(chorus.api.model.View firstView) {
        List<CommitRecord> records = store.commitRecords();
        for (CommitRecord r : records) {
            List<Integer> members = (r.view() == null ? firstView : r.view()).members();
            undelivered.put(r.txId(), new PendingDecision(r.txId(), Decision.COMMIT, r.keys(), r.operation(), Set.copyOf(members),
                    clock.nanoTime()));
        }
        return records.size();
    }

    /** One round of re-sending; called every resolve interval. */
    public void redeliver() {
        if (paused.getAsBoolean()) {
            return;
        }
        for (PendingDecision pd : undelivered.values()) {
            send(pd, true);
        }
        askDurability();
    }

    /**
     * Reports, once per replica, each acknowledgement that has not come within the ack timeout of its
     * decision (a TIMED_OUT event, a WARN line and the timeout counter); called by the replica's sweep.
     * Nobody waits for those acknowledgements any more (a COMMIT is answered at the commit point), so
     * this is where a slow or silent replica shows.
     */
    public void reportLate() {
        long now = clock.nanoTime();
        for (PendingDecision pd : undelivered.values()) {
            if (now - pd.decidedNanos < ackTimeoutNanos) {
                continue;
            }
            for (int r : pd.newlyLate()) {
                metrics.timedOut();
                events.record(Role.COORDINATOR, EventType.TIMED_OUT, pd.txId, r, pd.keys, pd.operation, "replica " + r
                        + " did not acknowledge " + pd.decision + " within " + ackTimeoutNanos / 1_000_000
                        + " ms; re-sending every resolve interval", -1);
            }
        }
    }

    /** The decision for {@code tx} if it is still being delivered. */
    Optional<Decision> decisionOf(TxId tx) {
        PendingDecision pd = undelivered.get(tx);
        return pd == null ? Optional.empty() : Optional.of(pd.decision);
    }

    /** Decisions that some replica has not acknowledged (not those only waiting for a replica to sync). */
    public int undeliveredCount() {
        int n = 0;
        for (PendingDecision pd : undelivered.values()) {
            if (!pd.pending().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private void completed(PendingDecision pd) {
        undelivered.remove(pd.txId);
        if (pd.decision == Decision.COMMIT) {
            try {
                store.forgetCommit(pd.txId);
            } catch (StorageException e) {
                LOG.warn("could not forget acknowledged commit {}: {}", pd.txId, e.getMessage());
            }
        }
    }
}
