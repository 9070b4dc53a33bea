package chorus.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened in one lifetime, line by line (messages, crashes, decisions, faults), with the
 * simulated time of each: the last lines are kept to show the steps before an anomaly, and every
 * line goes into a digest, so that two runs of one seed can be shown to be the same run.
 */
public final class Trace {

    private final int keep;
    private final ArrayDeque<String> last;
    private long lines;
    private long digest = 0xcbf29ce484222325L;

    public Trace(int keep) {
        this.keep = keep;
        this.last = new ArrayDeque<>(Math.min(keep, 4096));
    }

    void line(long nanos, String who, String what) {
        String l = String.format("%11.6f %-6s %s", nanos / 1e9, who, what);
        lines++;
        for (int i = 0; i < l.length(); i++) {
            digest = (digest ^ l.charAt(i)) * 0x100000001b3L;
        }
        digest = (digest ^ '\n') * 0x100000001b3L;
        if (keep > 0) {
            if (last.size() == keep) {
                last.removeFirst();
            }
            last.addLast(l);
        }
    }

    /** A digest of every line so far: equal for two runs that traced the same lines. */
    public long digest() {
        return digest;
    }

    public long lines() {
        return lines;
    }

    /** The last lines kept, oldest first. */
    public List<String> tail() {
        return new ArrayList<>(last);
    }
}
