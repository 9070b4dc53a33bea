package chorus.server.protocol;

import chorus.api.ChorusException;
import chorus.api.Limits;
import chorus.api.WriteNotStartedException;
import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Group commit of client writes at their coordinator. At most {@link #MAX_IN_FLIGHT} transaction
 * of this replica's clients is under way at a time ({@link #FORWARD_IN_FLIGHT} forwarded groups at a
 * replica that forwards its writes to the leader); unconditional writes that arrive meanwhile wait, and when
 * one finishes, the writes waiting then leave together as one transaction: one LOCK, one
 * PREPARE and one decision per replica, one COMMIT record, however many writes it carries. Before
 * they leave, they wait briefly for the writers of the group that just finished, who are likely to
 * write again at once ({@link #gather}). Alone, a write leaves at once, as its own transaction.
 *
 * <p>Why here and not per message: PREPAREs and decisions already travel batched per replica, but
 * at the concurrency of real clients one coordinator seldom has two transactions in the same phase
 * at the same moment, so those batches hardly form (1.02 transactions per message with eight
 * clients). Writes waiting for a slot here always find each other.
 *
 * <p>Each write keeps its own meaning: the group commits all of them or none (so each write is
 * still all-or-nothing, and takes effect at the group's commit, within its own call), each caller
 * gets the versions of its own keys, and a failure reaches every caller of the group. Two writes of
 * one key never share a group (the later one waits for the next), and a conditional write always
 * runs alone: a failed version check must fail only the write that made it.
 */
final class WriteGroups {

    /**
     * Transactions of this replica's clients under way at once; the writes beyond wait and group.
     * One gave the largest groups and the most throughput: write-only at 32 client threads, A/B
     * twice, 1,766 / 1,480 ops/s with one against 1,232 / 1,034 with two and 998 with four. The
     * leader under {@code coordination = leader} runs one too: against two, its transactions carried
     * 7.2-7.6 writes instead of 3.5-3.7 at 8 client threads and 18-20 instead of 10.5-11 at 32, and
     * two {@code launch/bench --only chorus --baseline} pairs (2026-12-07, the first run of each
     * disturbed by the other cluster's JIT) gave write-only 1.34× / 1.04× at 8 threads and 1.07× /
     * 1.23× at 32, workload A 1.26× / 1.52× / 1.15× at 8 and 0.88× / 0.99× / 1.08× at 32, with
     * 0.57-0.89× the server CPU per operation. (Two had looked better in earlier trials whose
     * before and after, it turned out, ran the same jars.)
     */
    static final int MAX_IN_FLIGHT = 1;
    /**
     * Forwarded groups under way at once at a replica that forwards its clients' writes to the
     * leader ({@code coordination = leader}): the second keeps this replica's next group on its way
     * while the first waits for the leader's answer, and the leader groups both with the others.
     */
    static final int FORWARD_IN_FLIGHT = 2;
    /** Writes in one group: keeps one transaction's PREPARE a modest message. */
    static final int MAX_WRITES = 64;
    /**
     * The longest a group's leader waits for writers expected back; see {@link #gather}. Half the
     * last transaction's time, at most 5 ms, against a quarter and 2 ms: 6 writers through one
     * replica, 5.6 against 4.75 writes per transaction and 15.7 against 17.4 context switches per
     * write; write-only at 32 threads 2,009 / 2,431 against 1,846 / 2,040 ops/s.
     */
    static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Where this replica runs its groups' transactions: a group's leader waits half the last one's time, at most 5 ms. */
    static final LongUnaryOperator GATHER_HALF_LAST = lastNanos -> Math.min(MAX_GATHER_NANOS, lastNanos / 2);
    /** No wait for expected writers: a replica that forwards its groups (the coordinating leader's groups gather them). */
    static final LongUnaryOperator NO_GATHER = lastNanos -> 0L;

    /** Runs one transaction: {@link Coordinator#execute}. */
    interface Transactions {
        WriteResult execute(List<Mutation> mutations) throws ChorusException, InterruptedException;
    }

    private final int self;
    private final Transactions transactions;
    /** Transactions (or forwarded groups) of this replica's clients under way at once: {@link #MAX_IN_FLIGHT} or {@link #FORWARD_IN_FLIGHT}. */
    private final int maxInFlight;
    /** How long a write may wait for a slot before it gives up, unstarted. */
    private final Duration patience;
    private final LongUnaryOperator gatherNanos;
    private final Clock clock;
    /** Guards everything below and every {@link Write}'s fields. */
    private final Lock lock;
    /** Signalled when a write joins the queue while a leader gathers. */
    private final Condition joined;
    private final ArrayDeque<Write> waiting = new ArrayDeque<>();
    private int running;
    /** Writes in the group that finished last: its callers are likely to write again at once. */
    private int lastGroupSize;
    /** How long the last group's transaction took, and when it ended. */
    private long lastGroupNanos;
    private long lastGroupEndNanos;
    /**
     * Waiting writes (besides itself) that a gathering leader waits for; 0 when none gathers. One
     * field serves one gathering leader: the replicas that gather run one group at a time, and the
     * forwarding ones, with two in flight, do not gather. Were two to gather at once, the second
     * might not be woken early and would wait out its bound (at most {@link #MAX_GATHER_NANOS}): a
     * delay, never a wrong group.
     */
    private int gatherFor;
    private long groups;
    private long groupedWrites;

    /** @param gatherNanos how long a leader may wait for expected writers, given the last transaction's time */
    WriteGroups(int self, Transactions transactions, Duration patience, LongUnaryOperator gatherNanos, int maxInFlight,
                Scheduler scheduler) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("at least one transaction must be allowed under way, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.self = self;
        this.transactions = transactions;
        this.patience = patience;
        this.gatherNanos = gatherNanos;
        this.clock = scheduler.clock();
        this.lock = scheduler.newLock();
        this.joined = lock.newCondition();
    }

    /** One caller's write, from arrival until its group's outcome. The fields are guarded by {@link #lock}. */
    private final class Write {
        final List<Mutation> mutations;
        final long arrivedNanos = clock.nanoTime();
        /** Signalled when the write is led or done. */
        final Condition moved = lock.newCondition();
        boolean lead;
        boolean done;
        WriteResult result;
        Exception failure;

        Write(List<Mutation> mutations) {
            this.mutations = mutations;
        }

        void promote() {
            lock.lock();
            try {
                lead = true;
                moved.signal();
            } finally {
                lock.unlock();
            }
        }

        void finish(WriteResult r, Exception e) {
            lock.lock();
            try {
                result = r;
                failure = e;
                done = true;
                moved.signal();
            } finally {
                lock.unlock();
            }
        }

        /** Waits until led or done, at most until {@code deadlineNanos}; true if something happened. */
        boolean await(long deadlineNanos) throws InterruptedException {
            lock.lock();
            try {
                while (!lead && !done) {
                    long left = deadlineNanos - clock.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    moved.awaitNanos(left);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Waits, however long it takes, until led or done. */
        void awaitMoved() throws InterruptedException {
            lock.lock();
            try {
                while (!lead && !done) {
                    moved.await();
                }
            } finally {
                lock.unlock();
            }
        }

        boolean led() {
            lock.lock();
            try {
                return lead;
            } finally {
                lock.unlock();
            }
        }

        WriteResult outcome() throws ChorusException, InterruptedException {
            lock.lock();
            try {
                while (!done) {
                    moved.await();
                }
            } finally {
                lock.unlock();
            }
            if (failure instanceof ChorusException c) {
                throw c;
            }
            if (failure instanceof InterruptedException i) {
                throw i;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
            return result;
        }
    }

    WriteResult execute(List<Mutation> mutations) throws ChorusException, InterruptedException {
        Limits.checkBatch(mutations); // one caller's bad write must not fail the group it would join
        if (mutations.stream().anyMatch(Mutation::conditional)) {
            return transactions.execute(mutations);
        }
        Write me = new Write(mutations);
        boolean lead;
        lock.lock();
        try {
            lead = running < maxInFlight && waiting.isEmpty();
            if (lead) {
                running++;
            } else {
                waiting.add(me);
                if (gatherFor > 0 && waiting.size() >= gatherFor) {
                    joined.signalAll(); // the gathering leader has what it waited for
                }
            }
        } finally {
            lock.unlock();
        }
        if (!lead && !awaitTurn(me)) {
            return me.outcome(); // another write's group carried it
        }
        try {
            gather(lead);
            run(formGroup(me));
        } finally {
            handOver();
        }
        return me.outcome();
    }

    /**
     * Before a group leaves, waits briefly for the writers expected back: those of the group that
     * just finished, who write again as soon as they have their answer. Without this, a busy
     * coordinator's writers split into two halves that take turns (one half in flight while the
     * other waits), so groups carry half the writers they could, and each write pays for twice the
     * transactions. Nobody waits when nobody is expected: a lone client's write leaves at once.
     * The wait ends when the expected writes are here, or after half the last transaction's time
     * (at most {@link #MAX_GATHER_NANOS}), whichever comes first.
     *
     * @param arrived true for a write that found the slot free on arrival (it is one of the writers
     *                expected back); false for one handed the slot by a group that just finished
     */
    private void gather(boolean arrived) {
        boolean interrupted = false;
        lock.lock();
        try {
            long now = clock.nanoTime();
            long wait = gatherNanos.applyAsLong(lastGroupNanos);
            // Writers come back at once or not at all: a group that ended a while ago brings nobody.
            // "A while" is the longer of the last transaction's time and the longest a leader would
            // wait for them (the latter only matters where a test sets a long bound).
            long returnWindow = Math.max(Math.max(lastGroupNanos, MAX_GATHER_NANOS), wait);
            int returning = now - lastGroupEndNanos < returnWindow ? lastGroupSize : 0;
            int expected = arrived ? returning - 1 : waiting.size() + returning;
            int want = Math.min(MAX_WRITES - 1, expected);
            if (want <= waiting.size() || wait <= 0) {
                return;
            }
            long deadline = now + wait;
            gatherFor = want;
            try {
                while (waiting.size() < want) {
                    long left = deadline - clock.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    joined.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                interrupted = true; // leave now; the transaction sees the interrupt
            } finally {
                gatherFor = 0;
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Groups run so far and the writes they carried (for diagnostics: their ratio is the mean group size). */
    long[] groupStats() {
        return locked(() -> new long[] {groups, groupedWrites});
    }

    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** True when {@code me} is to lead a group; false when a group carried it. */
    private boolean awaitTurn(Write me) throws ChorusException, InterruptedException {
        boolean moved;
        try {
            moved = me.await(me.arrivedNanos + patience.toNanos());
        } catch (InterruptedException e) {
            if (withdraw(me)) {
                throw e;
            }
            // Already taken into a group or handed a slot: see it through, then keep the interrupt.
            awaitMoved(me);
            Thread.currentThread().interrupt();
            moved = true;
        }
        if (!moved) {
            if (withdraw(me)) {
                throw new WriteNotStartedException("write not started: replica " + self + " was busy with earlier writes for "
                        + patience.toMillis() + " ms; nothing was applied");
            }
            awaitMoved(me); // taken or handed a slot just now
        }
        return me.led();
    }

    /** Waits, without a deadline, for a write that is no longer queued to be led or done. */
    private void awaitMoved(Write w) {
        boolean interrupted = false;
        while (true) {
            try {
                w.awaitMoved();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while a leader waits for expected writers (for tests). */
    boolean gathering() {
        return locked(() -> gatherFor > 0);
    }

    /** Writes waiting for a slot (for tests and diagnostics). */
    int waiting() {
        return locked(waiting::size);
    }

    /** Takes {@code w} out of the queue if no group has taken it yet. */
    private boolean withdraw(Write w) {
        return locked(() -> waiting.remove(w));
    }

    /** {@code leader} and the waiting writes that fit with it, in arrival order. */
    private List<Write> formGroup(Write leader) {
        return locked(() -> formGroupLocked(leader));
    }

    private List<Write> formGroupLocked(Write leader) {
        List<Write> group = new ArrayList<>();
        group.add(leader);
        Set<String> keys = new HashSet<>();
        int mutations = 0;
        long bytes = 0;
        for (Mutation m : leader.mutations) {
            keys.add(m.key());
            mutations++;
            bytes += bound(m);
        }
        for (Iterator<Write> it = waiting.iterator(); it.hasNext() && group.size() < MAX_WRITES; ) {
            Write w = it.next();
            long more = 0;
            boolean clash = false;
            for (Mutation m : w.mutations) {
                clash |= keys.contains(m.key());
                more += bound(m);
            }
            if (clash || mutations + w.mutations.size() > Limits.MAX_BATCH_MUTATIONS || bytes + more > Limits.MAX_BATCH_BYTES) {
                continue; // a later group
            }
            it.remove();
            group.add(w);
            mutations += w.mutations.size();
            bytes += more;
            for (Mutation m : w.mutations) {
                keys.add(m.key());
            }
        }
        return group;
    }

    /** An upper bound of a mutation's UTF-8 bytes, without encoding it. */
    private static long bound(Mutation m) {
        long chars = m.key().length() + (m instanceof Mutation.Put p ? p.value().length() : 0);
        return chars * 3;
    }

    private void run(List<Write> group) {
        long start = clock.nanoTime();
        try {
            runGroup(group);
        } finally {
            long took = clock.nanoTime() - start;
            lock.lock();
            try {
                lastGroupSize = group.size();
                lastGroupNanos = took;
                lastGroupEndNanos = start + took;
                groups++;
                groupedWrites += group.size();
            } finally {
                lock.unlock();
            }
        }
    }

    private void runGroup(List<Write> group) {
        if (group.size() == 1) {
            Write only = group.get(0);
            try {
                only.finish(transactions.execute(only.mutations), null);
            } catch (Exception e) {
                only.finish(null, e);
            }
            return;
        }
        List<Mutation> all = new ArrayList<>();
        for (Write w : group) {
            all.addAll(w.mutations);
        }
        WriteResult r;
        try {
            r = transactions.execute(all);
        } catch (Exception e) {
            for (Write w : group) {
                w.finish(null, e);
            }
            return;
        }
        long now = clock.nanoTime();
        for (Write w : group) {
            Map<String, Long> versions = new HashMap<>();
            for (Mutation m : w.mutations) {
                versions.put(m.key(), r.versions().get(m.key()));
            }
            w.finish(new WriteResult(r.txId(), versions, (now - w.arrivedNanos) / 1000, r.attempts(), r.coordinator()), null);
        }
    }

    /** A finished group's slot goes to the oldest waiting write, which forms the next group. */
    private void handOver() {
        Write next;
        lock.lock();
        try {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            next.promote();
        }
    }
}
