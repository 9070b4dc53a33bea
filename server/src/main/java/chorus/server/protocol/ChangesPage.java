package chorus.server.protocol;

import java.io.Serializable;
import java.util.List;

/**
 * A page of a replica's change log: the changes after {@code afterSeq} that it holds, oldest first
 * (see {@link ReplicaStore#changesAfter}). Serializable because a replica that catches up will
 * read another's log.
 *
 * @param afterSeq          the position the caller asked from
 * @param oldestRetainedSeq the oldest change the log still holds ({@code lastSeq + 1} when it holds none)
 * @param lastSeq           the newest change in the log when the page was read
 */
public record ChangesPage(long afterSeq, List<Change> changes, long oldestRetainedSeq, long lastSeq) implements Serializable {

    public ChangesPage {
        changes = List.copyOf(changes);
    }

    /** Refuses a request that no page answers: a negative position or limit. */
    public static void checkRequest(long afterSeq, int limit) {
        if (afterSeq < 0 || limit < 0) {
            throw new IllegalArgumentException("changes after " + afterSeq + ", at most " + limit + ": neither may be negative");
        }
    }

    /**
     * The log no longer holds the changes right after {@code afterSeq} (the page then holds none):
     * the caller cannot catch up from it and must copy a snapshot instead.
     */
    public boolean truncated() {
        return afterSeq + 1 < oldestRetainedSeq;
    }

    /** Where the next page starts: the last change here, or {@code afterSeq} if there is none. */
    public long nextAfterSeq() {
        return changes.isEmpty() ? afterSeq : changes.get(changes.size() - 1).seq();
    }

    /** Whether this page reaches the newest change (the caller has caught up, as of this page). */
    public boolean reachedEnd() {
        return !truncated() && nextAfterSeq() >= lastSeq;
    }
}
