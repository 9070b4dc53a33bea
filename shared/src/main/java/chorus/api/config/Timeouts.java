package chorus.api.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Every wait in Chorus, in one place. Defaults suit five replicas on one machine.
 *
 * @param connect      opening a TCP connection to a replica (RMI socket factory)
 * @param read         waiting for an RMI reply on an open connection; the hard bound on any call
 * @param vote         coordinator: waiting for every vote after PREPARE
 * @param ack          coordinator: waiting for acknowledgements of the decision before answering
 *                     the client; later acknowledgements are collected by re-delivery
 * @param prepared     participant: waiting in the prepared state before asking for the outcome
 * @param readWait     a read of a key held by a prepared transaction waiting for its outcome
 * @param lockWait     a transaction waiting for a key held by another before it votes NO
 * @param retryBackoff base of the randomized pause before a conflict retry
 * @param resolveInterval how often in-doubt transactions and undelivered decisions are retried
 * @param conflictRetries how often the coordinator retries a transaction aborted by a conflict
 */
public record Timeouts(Duration connect, Duration read, Duration vote, Duration ack, Duration prepared,
                       Duration readWait, Duration lockWait, Duration retryBackoff, Duration resolveInterval,
                       int conflictRetries) implements Serializable {

    public static final Timeouts DEFAULTS = new Timeouts(
            Duration.ofMillis(1000), Duration.ofMillis(15000), Duration.ofMillis(2000), Duration.ofMillis(1000),
            Duration.ofMillis(3000), Duration.ofMillis(4000), Duration.ofMillis(1000), Duration.ofMillis(2),
            Duration.ofMillis(1000), 200);

    public Timeouts {
        requirePositive("connect", connect);
        requirePositive("read", read);
        requirePositive("vote", vote);
        requirePositive("ack", ack);
        requirePositive("prepared", prepared);
        requirePositive("readWait", readWait);
        requirePositive("lockWait", lockWait);
        requirePositive("retryBackoff", retryBackoff);
        requirePositive("resolveInterval", resolveInterval);
        if (conflictRetries < 0) {
            throw new IllegalArgumentException("conflict retries must not be negative: " + conflictRetries);
        }
        if (read.compareTo(vote.plus(ack)) <= 0) {
            throw new IllegalArgumentException("read timeout (" + read.toMillis() + " ms) must exceed vote + ack timeouts ("
                    + vote.plus(ack).toMillis() + " ms): a client must outlast one round of the protocol");
        }
        if (lockWait.compareTo(vote) >= 0) {
            throw new IllegalArgumentException("lock wait (" + lockWait.toMillis() + " ms) must be shorter than the vote timeout ("
                    + vote.toMillis() + " ms), or waiting voters would always time out");
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive, was " + d);
        }
    }

    /**
     * The longest a client call to a coordinator may legitimately take: every conflict retry is
     * bounded by this deadline too, so the client's read timeout is never reached by a live replica.
     */
    public Duration transactionDeadline() {
        return read.minus(ack).minusMillis(500);
    }
}
