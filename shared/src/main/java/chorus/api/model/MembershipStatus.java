package chorus.api.model;

import java.io.Serializable;

/**
 * Membership as one replica sees it: the latest view it knows agreed, whether it is a member, its
 * read lease, and, while it copies the data to rejoin, its catch-up.
 *
 * @param leaseRemainingMillis how long its read lease still runs; 0 when it holds none
 * @param leaseProblem         why it holds no lease (empty when it holds one)
 * @param catchUp              its catch-up while it is a learner (or a member finishing one); null otherwise
 */
public record MembershipStatus(int replica, View view, boolean member, long leaseRemainingMillis, String leaseProblem,
                               CatchUp catchUp) implements Serializable {

    public boolean leaseHeld() {
        return leaseRemainingMillis > 0;
    }

    /**
     * "member", "learner" (excluded, copying the data to rejoin) or "excluded": the word the command
     * line and the console show for this replica.
     */
    public String role() {
        return member ? "member" : catchUp != null ? "learner" : "excluded";
    }
}
