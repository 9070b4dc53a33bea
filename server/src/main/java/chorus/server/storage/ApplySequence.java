package chorus.server.storage;

import java.util.TreeSet;

/**
 * The numbering of {@link RocksStore}'s change log. Concurrent writers take their numbers here
 * and then write in whatever order RocksDB's write thread takes them (a lock across the write
 * would undo group commit), so number 6 may be readable before 5. This class therefore says how
 * far the log is complete ({@link #last}): through the number before the oldest batch still being
 * written. A reader that stops there never skips a change that a later read would show before it.
 *
 * <p>It also decides when a batch carries the deletion of changes past the retention: one range
 * deletion per {@code step} changes, in a batch being written anyway, so that pruning costs no
 * write (or sync) of its own and leaves few range tombstones for readers to pass.
 */
final class ApplySequence {

    /** Numbers for one batch's changes; {@code pruneBelow} > 0 asks the batch to delete the changes below it. */
    record Claim(long first, int count, long pruneBelow) {
    }

    private final int retention;
    private final long step;
    /** The newest number handed out. */
    private long assigned;
    /** First numbers of the claims handed out and not yet {@link #done}. */
    private final TreeSet<Long> writing = new TreeSet<>();
    private volatile long complete;
    /** The oldest change not deleted, or claimed for deletion by a batch being written. */
    private volatile long oldestStored;

    /**
     * @param last         the newest change in the log at open (0 for none)
     * @param oldestStored the oldest change in the log at open ({@code last + 1} for none)
     * @param retention    how many of the newest changes the log keeps, at least 1
     */
    ApplySequence(long last, long oldestStored, int retention) {
        if (retention < 1) {
            throw new IllegalArgumentException("the change log must keep at least one change, not " + retention);
        }
        this.assigned = last;
        this.complete = last;
        this.oldestStored = oldestStored;
        this.retention = retention;
        this.step = Math.max(1, retention / 8);
    }

    /** Numbers for {@code count} changes; the caller writes them, then calls {@link #done}, failed or not. */
    synchronized Claim claim(int count) {
        long first = assigned + 1;
        assigned += count;
        writing.add(first);
        // Counted from the complete end, which readers see, not from the numbers just handed out:
        // a reader is never offered fewer than the retention. And every claim still being written
        // is above the complete end, so no change below the deletion is written after it.
        long target = complete - retention + 1;
        long pruneBelow = 0;
        if (target - oldestStored >= step) {
            // Moved before the deletion is written: a reader that finds a change gone already
            // finds the mark past it, and says truncated rather than skip it.
            oldestStored = target;
            pruneBelow = target;
        }
        return new Claim(first, count, pruneBelow);
    }

    /**
     * The claim's batch is written, or failed: a failed one's numbers stay unused, since later
     * claims may be written already.
     */
    synchronized void done(Claim claim) {
        writing.remove(claim.first());
        complete = writing.isEmpty() ? assigned : writing.first() - 1;
    }

    /** Every change numbered up to this one is written (or failed); 0 for none. */
    long last() {
        return complete;
    }

    /**
     * The oldest change a reader is offered, given the {@code last} it read: at most the newest
     * {@code retention}, and none the log has deleted. Read it after opening the reader's iterator,
     * so that a deletion the iterator sees has moved it already.
     */
    long oldestRetained(long last) {
        return Math.max(oldestStored, last - retention + 1);
    }
}
