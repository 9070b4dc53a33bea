package chorus.server.transport;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits of one of a replica's listeners (clients, or peers): how many connections may be open,
 * how many bytes one call may take, and how many bytes of calls may be read at once. RMI reads a
 * call whole before anything checks it (a long string passes no serialization filter), so these
 * limits apply to the bytes as they arrive ({@link GuardedSocket}), before they are in memory.
 */
final class ListenerGuard {

    private final String listener;
    private final int replica;
    private final int maxConnections;
    private final long maxCallBytes;
    private final long budgetBytes;
    private final RefusalReport report;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong reading = new AtomicLong();
    private final Set<GuardedSocket> live = ConcurrentHashMap.newKeySet();

    /**
     * @param listener     "client" or "peer", as messages name it
     * @param maxCallBytes bytes one call may take before the replica stops reading it
     * @param budgetBytes  bytes of calls being read at once on this listener
     */
    ListenerGuard(String listener, int replica, int maxConnections, long maxCallBytes, long budgetBytes, RefusalReport report) {
        this.listener = listener;
        this.replica = replica;
        this.maxConnections = maxConnections;
        this.maxCallBytes = Math.min(maxCallBytes, budgetBytes);
        this.budgetBytes = budgetBytes;
        this.report = report;
    }

    String listener() {
        return listener;
    }

    /** The replica's id, for the refusal lines its callers read. */
    int replica() {
        return replica;
    }

    /** Takes a connection slot; false when all are taken (the caller refuses the connection). */
    boolean tryOpen() {
        while (true) {
            int n = open.get();
            if (n >= maxConnections) {
                report.refused(listener, "a connection: " + tooManyConnections());
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Why a connection over the limit is refused, in the words its caller will read. */
    String tooManyConnections() {
        return "too many " + listener + " connections (limit " + maxConnections + ")";
    }

    /** Gives back a slot {@link #tryOpen} granted to a connection that failed before it was set up. */
    void abandon() {
        open.decrementAndGet();
    }

    void opened(GuardedSocket s) {
        live.add(s);
    }

    /** A connection taken by {@link #tryOpen} ended; its unanswered call's bytes are free again. */
    void closed(GuardedSocket s, long unansweredBytes) {
        if (live.remove(s)) {
            open.decrementAndGet();
        }
        reading.addAndGet(-unansweredBytes);
    }

    /**
     * Counts {@code n} more bytes of a call that has {@code callBytes} (these included) so far;
     * throws, naming the limit, when the call or this listener's calls together would go over.
     * The caller then drops the connection; the bytes are not taken.
     */
    void charge(long callBytes, int n) throws CallRefusedException {
        if (callBytes > maxCallBytes) {
            throw refuse("a " + listener + " call of more than " + maxCallBytes + " bytes; the limit for one call is " + maxCallBytes
                    + " bytes");
        }
        long total = reading.addAndGet(n);
        if (total > budgetBytes) {
            reading.addAndGet(-n);
            throw refuse("a " + listener + " call: calls being read at once would hold more than " + budgetBytes
                    + " bytes (limits.request-budget.bytes)");
        }
    }

    private CallRefusedException refuse(String what) {
        report.refused(listener, what);
        return new CallRefusedException(what);
    }

    /** A call stopped while it was read; {@link #what()} says what and why, for the caller and the log alike. */
    static final class CallRefusedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String what;

        CallRefusedException(String what) {
            super("replica refused " + what);
            this.what = what;
        }

        String what() {
            return what;
        }
    }

    /** The call's bytes are no longer held for reading: it was answered, or its connection dropped. */
    void release(long callBytes) {
        reading.addAndGet(-callBytes);
    }

    Set<GuardedSocket> live() {
        return live;
    }

    int openConnections() {
        return open.get();
    }

    long bytesBeingRead() {
        return reading.get();
    }
}
