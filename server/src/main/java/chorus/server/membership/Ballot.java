package chorus.server.membership;

import java.io.Serializable;

/**
 * A proposal number of the view agreement: rounds are ordered first, then proposers, so that two
 * replicas never use the same ballot and every ballot can be outbid.
 */
public record Ballot(long round, int proposer) implements Serializable, Comparable<Ballot> {

    /** Below every ballot a proposer uses: what an acceptor that promised nothing has promised. */
    public static final Ballot NONE = new Ballot(0, 0);

    @Override
    public int compareTo(Ballot o) {
        int c = Long.compare(round, o.round);
        return c != 0 ? c : Integer.compare(proposer, o.proposer);
    }

    public boolean above(Ballot o) {
        return compareTo(o) > 0;
    }

    /** The lowest ballot of {@code proposer} above {@code seen}. */
    public static Ballot after(Ballot seen, int proposer) {
        return new Ballot(seen.round + 1, proposer);
    }

    @Override
    public String toString() {
        return round + "." + proposer;
    }
}
