package chorus.server.protocol;

import chorus.api.ChorusException;
import chorus.api.NotServingException;
import chorus.api.OutcomeUnknownException;
import chorus.api.Limits;
import chorus.api.TransactionAbortedException;
import chorus.api.config.Timeouts;
import chorus.api.model.AbortCause;
import chorus.api.model.Decision;
import chorus.api.model.EventType;
import chorus.api.model.Mutation;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import chorus.api.model.View;
import chorus.api.model.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a client's write into a transaction and drives it through two-phase commit: PREPARE to
 * every replica in parallel (this one's own in this thread meanwhile), COMMIT only if every vote is
 * YES within the vote timeout. Every YES is a synced prepare, so the transaction is committed once
 * the last is in (parallel commit); the COMMIT record is then written unsynced, the client answered,
 * and the decision sent to every replica in parallel. A transaction aborted by a lock conflict is
 * retried with a new id and its original age, a bounded number of times and within the transaction
 * deadline. As {@link Termination.OwnTransactions} it settles, after a restart, a transaction of its
 * own that it finds prepared with no decision.
 */
public final class Coordinator implements Termination.OwnTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final int self;
    private final Views views;
    private final long incarnation;
    private final PeerChannel channel;
    private final ReplicaStore store;
    private final EventLog events;
    private final ReplicaMetrics metrics;
    private final Timeouts timeouts;
    private final ExecutorService calls;
    private final DecisionDelivery delivery;
    private final PrepareBatching prepares;
    private final Scheduler scheduler;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    /** Transactions between STARTED and the end of phase two; the decision is set once durable. */
    private final Map<TxId, AtomicReference<Decision>> inFlight = new ConcurrentHashMap<>();

    public Coordinator(int self, Views views, long incarnation, PeerChannel channel, ReplicaStore store,
                       EventLog events, ReplicaMetrics metrics, Timeouts timeouts, Scheduler scheduler, ExecutorService calls,
                       DecisionDelivery delivery) {
        this.self = self;
        this.views = views;
        this.incarnation = incarnation;
        this.channel = channel;
        this.store = store;
        this.events = events;
        this.metrics = metrics;
        this.timeouts = timeouts;
        this.calls = calls;
        this.delivery = delivery;
        this.prepares = new PrepareBatching(channel, calls, delivery);
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
    }

    public WriteResult execute(List<Mutation> mutations) throws ChorusException, InterruptedException {
        Limits.checkBatch(mutations);
        long start = clock.nanoTime();
        long deadline = start + timeouts.transactionDeadline().toNanos();
        TxId first = nextTxId();
        TxAge age = new TxAge(clock.millis(), self, first.sequence());
        TxId tx = first;
        for (int attempt = 1; ; attempt++) {
            View view = views.current();
            if (!view.isMember(self)) {
                throw new NotServingException("replica " + self + " is no member of " + view.text()
                        + ": it was excluded, and coordinates no writes until it is readmitted; write at a member");
            }
            Attempt result = attempt(tx, age, mutations, view);
            if (result.unknown != null) {
                throw new OutcomeUnknownException(tx, result.unknown);
            }
            if (result.decision == Decision.COMMIT) {
                long micros = (clock.nanoTime() - start) / 1000;
                metrics.committed(micros);
                return new WriteResult(tx, result.versions, micros, attempt, self);
            }
            metrics.aborted(result.cause);
            long backoffNanos = backoff(attempt);
            boolean timeLeft = clock.nanoTime() + backoffNanos + timeouts.vote().plus(timeouts.ack()).toNanos() < deadline;
            boolean viewChanged = result.cause == AbortCause.VIEW_CHANGED && result.newerView != null
                    // or learned meanwhile: the abort may name a replica that the new view left out
                    || views.current().epoch() > view.epoch();
            if (viewChanged && timeLeft && attempt <= timeouts.conflictRetries()) {
                // Nothing was written; the same write runs again in the newer view.
                if (result.newerView != null) {
                    try {
                        views.learn(result.newerView);
                    } catch (StorageException e) {
                        // Not recorded here (a full disk): the retry is refused again, until the retries run out.
                    }
                }
                TxId next = nextTxId();
                events.record(Role.COORDINATOR, EventType.RETRIED, next, 0, Summaries.keys(mutations), Summaries.operation(mutations),
                        "retry " + (attempt + 1) + " of " + tx + " in " + views.current().text(), -1);
                tx = next;
                continue;
            }
            if (result.cause != AbortCause.CONFLICT || attempt > timeouts.conflictRetries() || !timeLeft) {
                String reason = result.cause == AbortCause.CONFLICT && attempt > 1
                        ? result.reason + " (gave up after " + attempt + " attempts)" : result.reason;
                throw new TransactionAbortedException(tx, result.cause, reason);
            }
            TxId next = nextTxId();
            events.record(Role.COORDINATOR, EventType.RETRIED, next, 0, Summaries.keys(mutations), Summaries.operation(mutations),
                    "retry " + (attempt + 1) + " of " + tx + " after conflict", -1);
            scheduler.sleep(backoffNanos);
            tx = next;
        }
    }

    /** @param unknown why the outcome cannot be told (the abort could not be made durable here), else null */
    private record Attempt(Decision decision, Map<String, Long> versions, AbortCause cause, String reason, View newerView,
                           String unknown) {
    }

    private record VoteResult(int replica, Vote vote, Exception error, long micros) {
    }

    private Attempt attempt(TxId tx, TxAge age, List<Mutation> mutations, View view) throws InterruptedException {
        List<Integer> replicas = view.members();
        List<String> keys = Summaries.keys(mutations);
        String op = Summaries.operation(mutations);
        long t0 = clock.nanoTime();
        AtomicReference<Decision> state = new AtomicReference<>();
        inFlight.put(tx, state);
        events.record(Role.COORDINATOR, EventType.STARTED, tx, 0, keys, op, "PREPARE to " + Summaries.replicas(replicas)
                + (view.epoch() > 1 ? " (" + view.text() + ")" : ""), -1);
        PrepareRequest request = new PrepareRequest(view, tx, age, mutations);
        Round round = new Round(tx, keys, op, t0 + timeouts.vote().toNanos());
        // Lock at the primary first: conflicting transactions queue there, in one place and one key
        // order, before they hold anything anywhere else. Without this step their PREPAREs reach
        // the replicas in different orders, and each replica would lock for a different winner.
        int primary = view.lockPrimary();
        PrepareRequest lockRequest = request.forLocking();
        round.collect(List.of(primary), r -> inThread(() -> channel.lock(r, lockRequest)), false,
                primary == self ? () -> channel.lock(self, lockRequest) : null);
        if (round.cause == null) {
            metrics.locked((clock.nanoTime() - t0) / 1000);
            // The others' PREPAREs travel batched with other transactions'; its own runs in this
            // thread meanwhile, which would otherwise only wait.
            round.collect(replicas, r -> prepares.prepare(r, request), true, () -> channel.prepare(self, request));
        }
        Map<Integer, Vote.Yes> yes = round.yes;
        Set<Integer> refused = round.refused;
        AbortCause cause = round.cause;
        String reason = round.reason;
        Map<String, Long> versions = Map.of();
        if (cause == null) {
            versions = agreedVersions(yes);
            if (versions == null) {
                cause = AbortCause.REFUSED;
                reason = "replicas disagree on the versions of " + keys + ": " + describeVersions(yes);
            }
        }

        // ---- decide. Parallel commit: every member's YES, this replica's own included, is durable, so
        // the transaction is committed now; the COMMIT record only spares a restarted coordinator the
        // questions to every member (Termination), and is written without a sync of its own.
        Decision decision = cause == null ? Decision.COMMIT : Decision.ABORT;
        if (decision == Decision.COMMIT) {
            FaultPoint.COORDINATOR_BEFORE_COMMIT_RECORD.hit(self, tx);
            try {
                store.saveCommit(new CommitRecord(tx, keys, op, clock.millis(), view));
            } catch (StorageException e) {
                LOG.error("could not make the commit of {} durable", tx, e);
                decision = Decision.ABORT;
                cause = AbortCause.REFUSED;
                reason = "coordinator " + self + " could not record the decision: " + e.getMessage();
            }
        }
        if (decision == Decision.COMMIT) {
            FaultPoint.COORDINATOR_AFTER_DECISION.hit(self, tx);
        }
        state.set(decision);
        events.record(Role.COORDINATOR, decision == Decision.COMMIT ? EventType.COMMITTED : EventType.ABORTED, tx, 0, keys, op,
                decision == Decision.COMMIT ? "" : reason, (clock.nanoTime() - t0) / 1000);

        // ---- phase two: every replica that may hold the transaction prepared
        // Replicas never contacted hold nothing; those that refused have already let go.
        Set<Integer> targets = new HashSet<>(round.contacted);
        targets.removeAll(refused);
        if (decision == Decision.COMMIT) {
            FaultInjector.partialCommit(self, tx, targets, channel);
        }
        PendingDecision pd = new PendingDecision(tx, decision, keys, op, targets, clock.nanoTime());
        if (decision == Decision.COMMIT) {
            // The commit point: every YES is in, each a durable prepare, and the COMMIT record is
            // written, so the outcome can no longer change. Apply it here, then answer without
            // waiting for the others' acknowledgements: the decision leaves for them now and is
            // re-sent until each has it, and each keeps the keys prepared until then, so a read
            // there still waits for it.
            delivery.applyHere(pd);
            pd.answered();
            List<Integer> owed = pd.pending();
            events.record(Role.COORDINATOR, EventType.ANSWERED, tx, 0, keys, op, owed.isEmpty() ? "at the commit point"
                    : "at the commit point; acknowledgements from " + Summaries.replicas(owed) + " follow",
                    (clock.nanoTime() - t0) / 1000);
            delivery.send(pd, false);
        } else {
            if (yes.containsKey(self)) {
                // This replica's own prepare is durable: were every other member's too (a silent one,
                // or one whose NO is forgotten in a restart and a duplicated PREPARE prepared after),
                // a restarted coordinator would find the transaction committed. So the abort is made
                // durable here before anyone, the client included, hears of it. If it cannot be, nobody
                // is told and the client hears of an unknown outcome; a prepare left here is settled as
                // after a restart (Termination.resolveOwn), an abort applied but not synced by the
                // members asking (presumed abort).
                String failed = abortHere(pd);
                if (failed != null) {
                    inFlight.remove(tx);
                    return new Attempt(decision, versions, cause, reason, round.newerView, "coordinator " + self
                            + " could not make its abort of " + tx + " durable (" + failed + "); the write may or may not"
                            + " take effect once its storage works again, a read tells");
                }
            }
            // An abort is answered once the replicas let go (or the ack timeout passed), so that a
            // retry does not queue behind its own earlier attempt's locks.
            delivery.send(pd, false);
            try {
                scheduler.await(pd.allAcknowledged, timeouts.ack().toNanos());
            } catch (TimeoutException e) {
                // Reported by the delivery's sweep, like a COMMIT's late acknowledgements.
            } catch (ExecutionException e) {
                throw new IllegalStateException("acknowledgement futures never fail", e);
            }
        }
        delivery.track(pd);
        inFlight.remove(tx);
        return new Attempt(decision, versions, cause, reason, round.newerView, null);
    }

    /** Applies the ABORT {@code pd} here and syncs it; null if done, else why not. */
    private String abortHere(PendingDecision pd) {
        // pd is new and this replica voted YES: the apply is claimed here, so null means applied.
        String failed = delivery.applyHere(pd);
        if (failed != null) {
            return "its own abort failed: " + failed;
        }
        try {
            store.sync();
            return null;
        } catch (StorageException e) {
            return e.getMessage();
        }
    }

    private interface VoteCall {
        CompletableFuture<Vote> call(int replica);
    }

    private interface BlockingVote {
        Vote call() throws Exception;
    }

    /**
     * Collects a round's votes and wakes the coordinator once, when they are all in or one is not a
     * YES (rather than once per vote): each wake-up is a context switch on a busy machine.
     */
    private final class VoteBox {
        private final int expected;
        private final List<VoteResult> arrived = new ArrayList<>();
        private final Lock lock = scheduler.newLock();
        private final Condition decided = lock.newCondition();
        private boolean decisive;

        VoteBox(int expected) {
            this.expected = expected;
        }

        void add(VoteResult v) {
            lock.lock();
            try {
                arrived.add(v);
                if (!(v.vote() instanceof Vote.Yes) || arrived.size() >= expected) {
                    decisive = true;
                    decided.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        /** What arrived, in order, once decisive or at the deadline. */
        List<VoteResult> await(long deadlineNanos) throws InterruptedException {
            lock.lock();
            try {
                while (!decisive) {
                    long remaining = deadlineNanos - clock.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    decided.awaitNanos(remaining);
                }
                return new ArrayList<>(arrived);
            } finally {
                lock.unlock();
            }
        }
    }

    /** A blocking call made on a pool thread, so that all of a round's calls are out at once. */
    private CompletableFuture<Vote> inThread(BlockingVote call) {
        CompletableFuture<Vote> f = new CompletableFuture<>();
        calls.execute(() -> {
            try {
                f.complete(call.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * One round of votes: the call goes to every replica in parallel; collection stops at the first
     * refusal or when the deadline passes, and every silent replica is reported as timed out.
     */
    private final class Round {
        final TxId tx;
        final List<String> keys;
        final String op;
        final long deadlineNanos;
        final Map<Integer, Vote.Yes> yes = new HashMap<>();
        final Set<Integer> refused = new HashSet<>();
        final Set<Integer> contacted = new HashSet<>();
        AbortCause cause;
        String reason;
        /** A newer view that a participant refused this transaction's epoch for. */
        View newerView;

        Round(TxId tx, List<String> keys, String op, long deadlineNanos) {
            this.tx = tx;
            this.keys = keys;
            this.op = op;
            this.deadlineNanos = deadlineNanos;
        }

        /**
         * @param self the call to this replica itself, made in this thread once the others are on
         *             their way (null: this replica is not a target, or goes through {@code call})
         */
        void collect(List<Integer> targets, VoteCall call, boolean votes, BlockingVote self) throws InterruptedException {
            VoteBox box = new VoteBox(targets.size());
            contacted.addAll(targets);
            List<CompletableFuture<Vote>> outstanding = new ArrayList<>(targets.size());
            for (int replica : targets) {
                if (self != null && replica == Coordinator.this.self) {
                    continue;
                }
                long s = clock.nanoTime();
                CompletableFuture<Vote> f = call.call(replica);
                outstanding.add(f);
                f.whenComplete((vote, failure) -> box.add(new VoteResult(replica, vote, cause(failure),
                        (clock.nanoTime() - s) / 1000)));
            }
            if (self != null && targets.contains(Coordinator.this.self)) {
                long s = clock.nanoTime();
                try {
                    box.add(new VoteResult(Coordinator.this.self, self.call(), null, (clock.nanoTime() - s) / 1000));
                } catch (Exception e) {
                    box.add(new VoteResult(Coordinator.this.self, null, e, (clock.nanoTime() - s) / 1000));
                }
            }
            try {
                await(targets, box, votes);
            } finally {
                // Decided without them: PREPAREs still queued for a replica need not leave at all.
                outstanding.forEach(f -> f.cancel(false));
            }
        }

        private void await(List<Integer> targets, VoteBox box, boolean votes) throws InterruptedException {
            if (votes) {
                FaultPoint.COORDINATOR_AFTER_PREPARE_SENT.hit(self, tx);
            }
            Set<Integer> answered = new HashSet<>();
            Iterator<VoteResult> arrived = box.await(deadlineNanos).iterator();
            while (answered.size() < targets.size() && cause == null) {
                VoteResult v = arrived.hasNext() ? arrived.next() : null;
                if (v == null) {
                    List<Integer> silent = targets.stream().filter(r -> !answered.contains(r)).sorted().toList();
                    for (int r : silent) {
                        metrics.timedOut();
                        events.record(Role.COORDINATOR, EventType.TIMED_OUT, tx, r, keys, op,
                                "replica " + r + " did not vote within " + timeouts.vote().toMillis() + " ms", -1);
                    }
                    cause = AbortCause.TIMEOUT;
                    reason = Summaries.replicas(silent) + " did not vote within " + timeouts.vote().toMillis() + " ms";
                    return;
                }
                answered.add(v.replica);
                if (v.vote instanceof Vote.Yes y) {
                    if (votes) {
                        yes.put(v.replica, y);
                        events.record(Role.COORDINATOR, EventType.PREPARED, tx, v.replica, keys, op, "", v.micros);
                    }
                } else if (v.vote instanceof Vote.No no) {
                    refused.add(v.replica);
                    events.record(Role.COORDINATOR, EventType.VOTED_NO, tx, v.replica, keys, op, no.reason(), v.micros);
                    cause = no.cause();
                    reason = "replica " + v.replica + " voted NO: " + no.reason();
                    newerView = no.newerView();
                } else {
                    boolean timedOut = Calls.isTimeout(v.error);
                    String why = timedOut
                            ? "replica " + v.replica + " did not vote within " + timeouts.vote().toMillis() + " ms"
                            : "replica " + v.replica + " is unreachable (" + Calls.describe(v.error) + ")";
                    if (timedOut) {
                        metrics.timedOut();
                    } else {
                        refused.add(v.replica);
                    }
                    events.record(Role.COORDINATOR, timedOut ? EventType.TIMED_OUT : EventType.UNREACHABLE, tx, v.replica, keys, op,
                            why, v.micros);
                    cause = timedOut ? AbortCause.TIMEOUT : AbortCause.UNREACHABLE;
                    reason = why;
                }
            }
        }
    }

    /** What this coordinator knows of {@code tx}: the decision, PENDING while deciding, else PRESUMED_ABORTED. */
    public TxOutcome outcomeOf(TxId tx) {
        AtomicReference<Decision> state = inFlight.get(tx);
        if (state != null) {
            Decision d = state.get();
            if (d == null) {
                return TxOutcome.PENDING;
            }
            return d == Decision.COMMIT ? TxOutcome.COMMITTED : TxOutcome.ABORTED;
        }
        return delivery.decisionOf(tx).map(d -> d == Decision.COMMIT ? TxOutcome.COMMITTED : TxOutcome.ABORTED)
                .orElse(TxOutcome.PRESUMED_ABORTED);
    }

    @Override
    public boolean undecided(TxId tx) {
        return tx.coordinator() == self && outcomeOf(tx) == TxOutcome.PRESUMED_ABORTED;
    }

    @Override
    public void commit(ParticipantTx ptx, String how) {
        List<String> keys = ptx.keys();
        String op = Summaries.operation(ptx.mutations);
        // Synced here: this decision was learned, not made at the commit point, and the members may
        // forget their prepares once they apply it.
        store.saveCommit(new CommitRecord(ptx.txId, keys, op, clock.millis(), ptx.view));
        store.sync();
        // Known as COMMITTED from here on: once applied here this replica no longer holds the prepare,
        // and a member asking before the decision is tracked would otherwise hear "presumed aborted"
        // (chaos seed 20261128, leader coordination: two members aborted what three committed).
        inFlight.put(ptx.txId, new AtomicReference<>(Decision.COMMIT));
        try {
            events.record(Role.COORDINATOR, EventType.COMMITTED, ptx.txId, 0, keys, op, how, -1);
            PendingDecision pd = new PendingDecision(ptx.txId, Decision.COMMIT, keys, op, Set.copyOf(ptx.view.members()),
                    clock.nanoTime());
            delivery.applyHere(pd);
            delivery.send(pd, true);
            delivery.track(pd);
        } finally {
            inFlight.remove(ptx.txId);
        }
    }

    @Override
    public void aborted(ParticipantTx ptx, String how) {
        try {
            store.sync();
        } catch (StorageException e) {
            // The members still learn it (presumed abort); were the abort lost here, a member's answer
            // would settle it again, since the one that refused keeps refusing.
            LOG.warn("could not sync the abort of {}: {}", ptx.txId, e.getMessage());
        }
        List<String> keys = ptx.keys();
        String op = Summaries.operation(ptx.mutations);
        events.record(Role.COORDINATOR, EventType.ABORTED, ptx.txId, 0, keys, op, how, -1);
        Set<Integer> others = new HashSet<>(ptx.view.members());
        others.remove(self);
        PendingDecision pd = new PendingDecision(ptx.txId, Decision.ABORT, keys, op, others, clock.nanoTime());
        delivery.send(pd, true);
        delivery.track(pd);
    }

    public int inFlight() {
        return inFlight.size();
    }

    private TxId nextTxId() {
        return new TxId(self, incarnation, sequence.incrementAndGet());
    }

    private long backoff(int attempt) {
        long base = timeouts.retryBackoff().toNanos();
        long cap = base << Math.min(attempt, 5);
        return scheduler.random().nextLong(base, cap + 1);
    }

    private static Map<String, Long> agreedVersions(Map<Integer, Vote.Yes> yes) {
        Map<String, Long> agreed = null;
        for (Vote.Yes y : yes.values()) {
            if (agreed == null) {
                agreed = y.versions();
            } else if (!agreed.equals(y.versions())) {
                return null;
            }
        }
        return agreed == null ? Map.of() : agreed;
    }

    private static String describeVersions(Map<Integer, Vote.Yes> yes) {
        StringBuilder sb = new StringBuilder();
        yes.forEach((r, y) -> sb.append(sb.length() == 0 ? "" : ", ").append("replica ").append(r).append(' ').append(y.versions()));
        return sb.toString();
    }

    private static Exception cause(Throwable failure) {
        if (failure == null) {
            return null;
        }
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof Exception e ? e : new ExecutionException(t);
    }
}
