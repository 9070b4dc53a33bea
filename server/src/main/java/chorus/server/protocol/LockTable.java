package chorus.server.protocol;

import chorus.api.model.TxId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Exclusive per-key locks taken at PREPARE and held until the decision is applied, with wait-die
 * to rule out deadlock: a transaction may wait only for a younger holder; a younger requester
 * dies at once (its coordinator retries it later with the same age, so it eventually becomes the
 * oldest and wins). Waits are bounded by a deadline, so a holder that never finishes (an in-doubt
 * transaction) turns into a refusal rather than a stuck thread.
 */
public final class LockTable {

    /** The outcome of {@link #acquireAll}: either all keys are held, or none is and the reason says why. */
    public record Acquisition(boolean acquired, String reason) {
        static final Acquisition OK = new Acquisition(true, "");

        static Acquisition refused(String reason) {
            return new Acquisition(false, reason);
        }
    }

    private record Holder(TxId tx, TxAge age, CompletableFuture<Void> released) {
    }

    private final Map<String, Holder> held = new HashMap<>();
    private final Map<TxId, List<String>> keysOf = new HashMap<>();

    /**
     * Locks every key for {@code tx}, in the given order, waiting at most until {@code deadlineNanos}
     * (a {@link System#nanoTime()} value) for younger holders.
     */
    public Acquisition acquireAll(TxId tx, TxAge age, List<String> keys, long deadlineNanos) throws InterruptedException {
        for (String key : keys) {
            while (true) {
                Holder blocker;
                synchronized (this) {
                    Holder h = held.get(key);
                    if (h == null || h.tx.equals(tx)) {
                        if (h == null) {
                            held.put(key, new Holder(tx, age, new CompletableFuture<>()));
                            keysOf.computeIfAbsent(tx, t -> new ArrayList<>()).add(key);
                        }
                        break;
                    }
                    if (!age.olderThan(h.age)) {
                        releaseAll(tx);
                        return Acquisition.refused("key '" + shorten(key) + "' is locked by older transaction " + h.tx + " (wait-die)");
                    }
                    blocker = h;
                }
                long remaining = deadlineNanos - System.nanoTime();
                try {
                    if (remaining <= 0) {
                        throw new TimeoutException();
                    }
                    blocker.released.get(remaining, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    releaseAll(tx);
                    return Acquisition.refused("key '" + shorten(key) + "' stayed locked by " + blocker.tx + " past the lock wait");
                } catch (ExecutionException e) {
                    throw new IllegalStateException("lock release never fails", e);
                } catch (InterruptedException e) {
                    releaseAll(tx);
                    throw e;
                }
            }
        }
        return Acquisition.OK;
    }

    /** Takes the locks of a transaction recovered from storage: nobody else can hold them yet. */
    public synchronized void restore(TxId tx, TxAge age, List<String> keys) {
        for (String key : keys) {
            Holder h = held.get(key);
            if (h != null && !h.tx.equals(tx)) {
                throw new IllegalStateException("recovered transactions " + h.tx + " and " + tx + " both hold key " + key);
            }
            if (h == null) {
                held.put(key, new Holder(tx, age, new CompletableFuture<>()));
                keysOf.computeIfAbsent(tx, t -> new ArrayList<>()).add(key);
            }
        }
    }

    public synchronized void releaseAll(TxId tx) {
        List<String> keys = keysOf.remove(tx);
        if (keys == null) {
            return;
        }
        for (String key : keys) {
            Holder h = held.remove(key);
            if (h != null) {
                h.released.complete(null);
            }
        }
    }

    public synchronized Optional<TxId> holder(String key) {
        Holder h = held.get(key);
        return h == null ? Optional.empty() : Optional.of(h.tx);
    }

    public synchronized int lockedKeys() {
        return held.size();
    }

    private static String shorten(String key) {
        return key.length() <= 40 ? key : key.substring(0, 37) + "...";
    }
}
