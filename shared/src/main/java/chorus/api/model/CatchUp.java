package chorus.api.model;

import java.io.Serializable;

/**
 * An excluded replica's progress in copying the data from a member to rejoin (it is then a
 * learner): which member it copies from, what it is doing, and how many keys of how many it copied.
 *
 * @param phase  SNAPSHOT (copying the keys in pages), CHANGES (applying the commits made meanwhile),
 *               CAUGHT_UP (ready to be readmitted), READMITTING (a view with it is being agreed),
 *               FINAL (a member again, applying the last commits of the epoch before), or WAITING
 *               (no member reachable to copy from; {@code note} says why)
 * @param copied keys copied so far in this pass
 * @param total  keys the source held when the pass began (an estimate: commits go on meanwhile)
 */
public record CatchUp(Phase phase, int source, long copied, long total, String note) implements Serializable {

    public enum Phase { WAITING, SNAPSHOT, CHANGES, CAUGHT_UP, READMITTING, FINAL }

    /** Copied as a fraction of the total, 0..1 (1 once past the snapshot). */
    public double fraction() {
        if (phase != Phase.SNAPSHOT && phase != Phase.WAITING) {
            return 1.0;
        }
        return total <= 0 ? 0.0 : Math.min(1.0, (double) copied / total);
    }

    /** "copying from replica 2: 1,234 of 10,000 keys" and the like, for the command line and the console. */
    public String describe() {
        return switch (phase) {
            case WAITING -> "waiting to copy: " + note;
            case SNAPSHOT -> String.format("copying from replica %d: %,d of %,d keys", source, copied, total);
            case CHANGES -> "applying the commits made while copying, from replica " + source;
            case CAUGHT_UP -> "caught up with replica " + source + "; ready to be readmitted";
            case READMITTING -> "caught up with replica " + source + "; being readmitted";
            case FINAL -> "readmitted; applying the last commits of the epoch before, from replica " + source;
        };
    }
}
