package chorus.server.http;

import chorus.api.model.EventType;
import chorus.api.model.Role;
import chorus.server.protocol.ReplicaNode;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the replica's watchers when it applies a committed write. A watcher reads the change log
 * (by apply sequence number, so it misses nothing the log still holds), and waits here only while
 * nothing changed since it last looked: it takes the count of wake-ups before reading, and waits
 * for the count to move. A change that no event announces (one installed by catch-up) is found at
 * the next keep-alive at the latest.
 */
final class ChangeFeed {

    /** Watches open at once on one replica; each holds one of the server's threads. */
    static final int MAX_WATCHERS = 32;

    private final Object signal = new Object();
    private final Semaphore slots = new Semaphore(MAX_WATCHERS);
    private long wakeups;
    private boolean closed;

    ChangeFeed(ReplicaNode node) {
        node.events().listen(e -> {
            if (e.role() == Role.PARTICIPANT && e.type() == EventType.COMMITTED) {
                wake();
            }
        });
    }

    boolean tryOpen() {
        return slots.tryAcquire();
    }

    void release() {
        slots.release();
    }

    long wakeups() {
        synchronized (signal) {
            return wakeups;
        }
    }

    /** Waits until a wake-up after {@code seen}, the timeout, or close; false once closed. */
    boolean await(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (signal) {
            while (!closed && wakeups == seen) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                signal.wait(left);
            }
            return !closed;
        }
    }

    void close() {
        synchronized (signal) {
            closed = true;
            signal.notifyAll();
        }
    }

    private void wake() {
        synchronized (signal) {
            wakeups++;
            signal.notifyAll();
        }
    }
}
