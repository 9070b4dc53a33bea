package chorus.api.rmi;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A shorter bound for the RMI calls one thread makes, on top of the cluster's read timeout. RMI
 * reads a call's answer on the calling thread, so a deadline kept per thread reaches the socket
 * that reads it ({@link WarmConnectionSocket} lowers its read timeout to the time left) without a
 * second thread to watch the call: when the time is up the read fails with a
 * {@link java.net.SocketTimeoutException}, as it would at the read timeout, and RMI closes that
 * connection. Sockets from {@link TimeoutClientSocketFactory} honour it; calls outside
 * {@link #within} keep the plain read timeout.
 */
public final class CallDeadline {

    private static final ThreadLocal<long[]> DEADLINE_NANOS = new ThreadLocal<>();

    private CallDeadline() {
    }

    /** Runs {@code call} with every RMI read on this thread bounded to end within {@code limit} from now. */
    public static <T> T within(Duration limit, Callable<T> call) throws Exception {
        long[] previous = DEADLINE_NANOS.get();
        long deadline = System.nanoTime() + limit.toNanos();
        if (previous != null && previous[0] - deadline < 0) {
            deadline = previous[0]; // an enclosing, earlier deadline still holds
        }
        DEADLINE_NANOS.set(new long[] {deadline});
        try {
            return call.call();
        } finally {
            if (previous == null) {
                DEADLINE_NANOS.remove();
            } else {
                DEADLINE_NANOS.set(previous);
            }
        }
    }

    /**
     * The read timeout a socket whose own is {@code readTimeoutMillis} (0: none) should use now on
     * this thread: its own outside {@link #within}, else no more than the time left, and at least
     * 1 ms (0 would mean no timeout at all).
     */
    static int readTimeoutMillis(int readTimeoutMillis) {
        long[] deadline = DEADLINE_NANOS.get();
        if (deadline == null) {
            return readTimeoutMillis;
        }
        long leftMillis = Math.max(1, (deadline[0] - System.nanoTime()) / 1_000_000);
        return (int) (readTimeoutMillis == 0 ? Math.min(Integer.MAX_VALUE, leftMillis) : Math.min(readTimeoutMillis, leftMillis));
    }
}
