package chorus.server.protocol;

import java.io.Serializable;

/**
 * A member's answer to a learner that starts copying from it: where its change log stands now,
 * how many keys it holds, and, if this member saw the asker excluded during its current
 * incarnation, the position in its log after which every commit the asker can have missed lies
 * (every commit without the asker was applied here after this member learned the view without
 * it). Positions are meaningful within one incarnation only: after a crash, numbers of changes
 * lost with their unsynced writes are used again.
 *
 * @param missedAfter the asker's position in this member's log, or -1 if unknown (copy a snapshot)
 */
public record CatchUpStart(int source, long incarnation, long lastSeq, long keyCount, long missedAfter) implements Serializable {
}
