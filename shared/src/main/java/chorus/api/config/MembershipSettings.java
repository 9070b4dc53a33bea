package chorus.api.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How membership views change and how long read leases run.
 *
 * @param lease             how long a read lease granted by a majority lets a member serve reads; it is
 *                          renewed every quarter of it. An exclusion waits until the excluded replica's
 *                          lease has run out at the replicas that granted it ({@code membership.lease-ms})
 * @param leaseMargin       how much sooner than its grantors a holder takes its lease to end, for clocks
 *                          that run at slightly different rates ({@code membership.lease-margin-ms})
 * @param autoExcludeAfter  how long a member may stay unreachable for writes before the others exclude
 *                          it by themselves; zero: never, only an operator does
 *                          ({@code membership.auto-exclude-after-ms})
 */
public record MembershipSettings(Duration lease, Duration leaseMargin, Duration autoExcludeAfter) implements Serializable {

    public static final MembershipSettings DEFAULTS = new MembershipSettings(Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ZERO);

    static final String LEASE_KEY = "membership.lease-ms";
    static final String MARGIN_KEY = "membership.lease-margin-ms";
    static final String AUTO_EXCLUDE_KEY = "membership.auto-exclude-after-ms";

    public MembershipSettings {
        if (lease.toMillis() < 200 || lease.toMillis() > 60_000) {
            throw new ConfigException(LEASE_KEY + " = " + lease.toMillis() + " is outside 200..60000");
        }
        if (leaseMargin.isNegative() || leaseMargin.compareTo(lease.dividedBy(2)) > 0) {
            throw new ConfigException(MARGIN_KEY + " = " + leaseMargin.toMillis() + " is outside 0.." + lease.toMillis() / 2
                    + " (at most half the lease)");
        }
        if (autoExcludeAfter.isNegative()) {
            throw new ConfigException(AUTO_EXCLUDE_KEY + " = " + autoExcludeAfter.toMillis() + " is negative; 0 turns it off");
        }
        if (!autoExcludeAfter.isZero() && autoExcludeAfter.compareTo(lease.dividedBy(2)) < 0) {
            // Replicas hear from each other once per lease renewal, every quarter lease: a shorter
            // silence than half a lease is no sign of anything, and would exclude healthy members.
            throw new ConfigException(AUTO_EXCLUDE_KEY + " = " + autoExcludeAfter.toMillis() + " is below half the lease ("
                    + lease.toMillis() / 2 + " ms): replicas hear from each other only every quarter lease; 0 turns it off");
        }
    }

    public MembershipSettings withLease(Duration lease, Duration margin) {
        return new MembershipSettings(lease, margin, autoExcludeAfter);
    }

    public MembershipSettings withAutoExcludeAfter(Duration after) {
        return new MembershipSettings(lease, leaseMargin, after);
    }
}
