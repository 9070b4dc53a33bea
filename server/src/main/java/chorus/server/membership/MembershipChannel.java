package chorus.server.membership;

import chorus.api.model.View;

/**
 * How the view agreement and the read leases reach other replicas. Every call is bounded by the
 * transport's own timeouts; the callers bound their waits on top.
 */
public interface MembershipChannel {

    Promise promiseView(int replica, long epoch, Ballot ballot) throws Exception;

    Acceptance acceptView(int replica, Ballot ballot, View view) throws Exception;

    /** Tells {@code replica} that {@code view} is agreed; it keeps it if newer than what it knows. */
    void learnView(int replica, View view) throws Exception;

    /** Asks {@code replica} to grant {@code holder}, which knows {@code holderView}, a read lease. */
    LeaseAnswer grantLease(int replica, int holder, View holderView) throws Exception;
}
