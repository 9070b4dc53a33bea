package chorus.api.model;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster-unique transaction id: the coordinating replica, that replica's incarnation (bumped
 * durably at every start, so ids never repeat after a crash) and a sequence number within the
 * incarnation. The incarnation also lets a restarted coordinator presume abort for transactions of
 * an earlier incarnation of which it has no decision record.
 */
public record TxId(int coordinator, long incarnation, long sequence) implements Serializable, Comparable<TxId> {

    private static final Pattern TEXT = Pattern.compile("t(\\d+)\\.(\\d+)\\.(\\d+)");

    public TxId {
        if (coordinator < 1 || incarnation < 1 || sequence < 1) {
            throw new IllegalArgumentException("invalid transaction id parts " + coordinator + "." + incarnation + "." + sequence);
        }
    }

    /** Parses the form printed by {@link #toString()}, for example {@code t3.2.17}. */
    public static TxId parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a transaction id: '" + text + "' (expected t<replica>.<incarnation>.<sequence>)");
        }
        return new TxId(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    }

    @Override
    public int compareTo(TxId o) {
        int c = Integer.compare(coordinator, o.coordinator);
        if (c != 0) {
            return c;
        }
        c = Long.compare(incarnation, o.incarnation);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
        return "t" + coordinator + "." + incarnation + "." + sequence;
    }
}
