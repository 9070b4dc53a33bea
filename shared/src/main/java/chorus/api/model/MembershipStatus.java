package chorus.api.model;

import java.io.Serializable;

/**
 * Membership as one replica sees it: the latest view it knows agreed, whether it is a member, and
 * its read lease.
 *
 * @param leaseRemainingMillis how long its read lease still runs; 0 when it holds none
 * @param leaseProblem         why it holds no lease (empty when it holds one)
 */
public record MembershipStatus(int replica, View view, boolean member, long leaseRemainingMillis, String leaseProblem)
        implements Serializable {

    public boolean leaseHeld() {
        return leaseRemainingMillis > 0;
    }

    /** "member", "excluded": the word the command line and the console show for this replica. */
    public String role() {
        return member ? "member" : "excluded";
    }
}
