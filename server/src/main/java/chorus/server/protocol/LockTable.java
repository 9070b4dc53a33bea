package chorus.server.protocol;

import chorus.api.model.TxId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Exclusive per-key locks, taken at PREPARE and held until the decision is applied. A released
 * key is handed straight to the oldest waiting transaction, so a transaction that keeps being
 * retried with its first age moves to the front and cannot starve. Every wait is bounded by a
 * deadline: a holder that never finishes (an in-doubt transaction) turns into a refusal, never
 * into a stuck thread.
 *
 * <p>Deadlock freedom does not come from here but from the order in which the coordinator locks:
 * every transaction first locks its keys at one replica, the lock primary, in key order, and
 * only then asks the others (see {@link Coordinator}). The bounded waits are the backstop for
 * the rare cases outside that order (a lock lease that ran out, locks recovered after a crash).
 */
public final class LockTable {

    /** The outcome of {@link #acquireAll}: either all keys are held, or none is and the reason says why. */
    public record Acquisition(boolean acquired, String reason) {
        static final Acquisition OK = new Acquisition(true, "");

        static Acquisition refused(String reason) {
            return new Acquisition(false, reason);
        }
    }

    private static final class Waiter {
        final TxId tx;
        final TxAge age;
        final CompletableFuture<Void> granted = new CompletableFuture<>();

        Waiter(TxId tx, TxAge age) {
            this.tx = tx;
            this.age = age;
        }
    }

    private static final class KeyLock {
        TxId holder;
        final PriorityQueue<Waiter> waiters = new PriorityQueue<>(Comparator.comparing((Waiter w) -> w.age));
    }

    private final Scheduler scheduler;
    private final Map<String, KeyLock> locks = new HashMap<>();
    private final Map<TxId, List<String>> keysOf = new HashMap<>();
    /** Completed when a waiting transaction is aborted, so that it stops queueing for locks at once. */
    private final Map<TxId, CompletableFuture<Void>> cancels = new HashMap<>();

    public LockTable(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Locks every key for {@code tx} in the given order, waiting at most until {@code deadlineNanos}
     * (a reading of the scheduler's clock) for each holder to let go.
     */
    public Acquisition acquireAll(TxId tx, TxAge age, List<String> keys, long deadlineNanos) throws InterruptedException {
        CompletableFuture<Void> cancelled;
        synchronized (this) {
            cancelled = cancels.computeIfAbsent(tx, t -> new CompletableFuture<>());
        }
        try {
            for (String key : keys) {
                Acquisition a = acquire(tx, age, key, deadlineNanos, cancelled);
                if (!a.acquired()) {
                    releaseAll(tx);
                    return a;
                }
            }
            return Acquisition.OK;
        } finally {
            synchronized (this) {
                cancels.remove(tx);
            }
        }
    }

    private Acquisition acquire(TxId tx, TxAge age, String key, long deadlineNanos, CompletableFuture<Void> cancelled)
            throws InterruptedException {
        Waiter w;
        TxId blocker;
        synchronized (this) {
            if (cancelled.isDone()) {
                return Acquisition.refused("aborted while waiting for key '" + shorten(key) + "'");
            }
            KeyLock l = locks.computeIfAbsent(key, k -> new KeyLock());
            if (l.holder == null) {
                grant(l, tx, key);
                return Acquisition.OK;
            }
            if (l.holder.equals(tx)) {
                return Acquisition.OK;
            }
            w = new Waiter(tx, age);
            l.waiters.add(w);
            blocker = l.holder;
        }
        try {
            long remaining = deadlineNanos - scheduler.clock().nanoTime();
            if (remaining <= 0) {
                throw new TimeoutException();
            }
            scheduler.await(CompletableFuture.anyOf(w.granted, cancelled), remaining);
        } catch (TimeoutException e) {
            // fall through: decided below under the monitor, since the grant may race the timeout
        } catch (ExecutionException e) {
            throw new IllegalStateException("lock grants never fail", e);
        } finally {
            synchronized (this) {
                if (!w.granted.isDone()) {
                    KeyLock l = locks.get(key);
                    if (l != null) {
                        l.waiters.remove(w);
                    }
                }
            }
        }
        if (w.granted.isDone() && !cancelled.isDone()) {
            return Acquisition.OK;
        }
        return Acquisition.refused(cancelled.isDone()
                ? "aborted while waiting for key '" + shorten(key) + "'"
                : "key '" + shorten(key) + "' stayed locked by " + blocker + " past the lock wait");
    }

    private void grant(KeyLock l, TxId tx, String key) {
        l.holder = tx;
        keysOf.computeIfAbsent(tx, t -> new ArrayList<>()).add(key);
    }

    /** Takes the locks of a transaction recovered from storage: nobody else can hold them yet. */
    public synchronized void restore(TxId tx, List<String> keys) {
        for (String key : keys) {
            KeyLock l = locks.computeIfAbsent(key, k -> new KeyLock());
            if (l.holder != null && !l.holder.equals(tx)) {
                throw new IllegalStateException("recovered transactions " + l.holder + " and " + tx + " both hold key " + key);
            }
            if (l.holder == null) {
                grant(l, tx, key);
            }
        }
    }

    /**
     * Stops {@code tx} from waiting for locks (it was aborted while queueing). A no-op when it is not
     * waiting: callers re-check their own state after {@link #acquireAll} returns.
     */
    public synchronized void cancel(TxId tx) {
        CompletableFuture<Void> c = cancels.get(tx);
        if (c != null) {
            c.complete(null);
        }
    }

    /** Releases every key {@code tx} holds, handing each to its oldest waiter. */
    public synchronized void releaseAll(TxId tx) {
        List<String> keys = keysOf.remove(tx);
        if (keys == null) {
            return;
        }
        for (String key : keys) {
            KeyLock l = locks.get(key);
            if (l == null || !tx.equals(l.holder)) {
                continue;
            }
            Waiter next = l.waiters.poll();
            if (next == null) {
                locks.remove(key);
            } else {
                grant(l, next.tx, key);
                next.granted.complete(null);
            }
        }
    }

    public synchronized boolean holdsAll(TxId tx, List<String> keys) {
        List<String> held = keysOf.get(tx);
        return held != null && held.containsAll(keys);
    }

    public synchronized Optional<TxId> holder(String key) {
        KeyLock l = locks.get(key);
        return l == null ? Optional.empty() : Optional.ofNullable(l.holder);
    }

    public synchronized int lockedKeys() {
        return locks.size();
    }

    private static String shorten(String key) {
        return key.length() <= 40 ? key : key.substring(0, 37) + "...";
    }
}
