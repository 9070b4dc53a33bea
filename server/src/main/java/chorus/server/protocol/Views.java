package chorus.server.protocol;

import chorus.api.NotServingException;
import chorus.api.model.View;
import java.util.List;

/**
 * What two-phase commit needs of membership: the agreed view (its members are a transaction's
 * participants, its lowest member the lock primary), learning a newer agreed view from a message
 * that carries it, and whether this replica may serve reads.
 */
public interface Views {

    /** The latest view this replica knows to be agreed. */
    View current();

    /**
     * Keeps {@code view}, agreed elsewhere, if it is newer than {@link #current()}; durable before it
     * returns. Whether it was newer.
     */
    boolean learn(View view);

    /**
     * Returns once this replica may serve a read: it is a member of its view and holds a read lease
     * from a majority. Waits for a lease at most {@code timeoutNanos}.
     *
     * @throws NotServingException it is no member, or got no lease in time; the message says which and why
     */
    void awaitReadable(long timeoutNanos) throws NotServingException, InterruptedException;

    /**
     * Whether this replica holds a read lease, asking for one at once and waiting at most
     * {@code timeoutNanos} if it has none (just started, or its partition just healed). Only a
     * lease holder may tell a conditional write that a key is at another version: only then can no
     * write have committed without it.
     */
    default boolean awaitLease(long timeoutNanos) throws InterruptedException {
        return true;
    }

    /**
     * Why this member may not vote yet (it was just readmitted and is applying the last commits of
     * the epoch before), or null when it may.
     */
    default String notReadyToVote() {
        return null;
    }

    /** A view that never changes and always allows reads: for tests of one protocol step alone. */
    static Views fixed(List<Integer> members) {
        View view = View.initial(members);
        return new Views() {
            @Override
            public View current() {
                return view;
            }

            @Override
            public boolean learn(View v) {
                return false;
            }

            @Override
            public void awaitReadable(long timeoutNanos) {
            }
        };
    }
}
