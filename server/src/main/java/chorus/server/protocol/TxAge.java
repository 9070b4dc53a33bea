package chorus.server.protocol;

import java.io.Serializable;

/**
 * The age of a transaction: fixed at the first attempt and kept across conflict retries, so that a
 * retried transaction grows older relative to newcomers; a released lock goes to the oldest waiter,
 * so it eventually wins.
 * Ties on time are broken by coordinator id and sequence, which makes the order total.
 */
public record TxAge(long startMillis, int coordinator, long sequence) implements Serializable, Comparable<TxAge> {

    @Override
    public int compareTo(TxAge o) {
        int c = Long.compare(startMillis, o.startMillis);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(coordinator, o.coordinator);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    public boolean olderThan(TxAge o) {
        return compareTo(o) < 0;
    }
}
