package chorus.console.testing;

import chorus.api.config.ClusterConfig;
import chorus.api.model.CatchUp;
import chorus.api.model.MembershipStatus;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.View;
import chorus.console.service.ReplicaHealth;
import chorus.console.service.ReplicaSnapshot;

/** Builds the snapshots a replica's watcher reports, with the membership the replica answered. */
public final class Snapshots {

    private final ClusterConfig config;

    public Snapshots(ClusterConfig config) {
        this.config = config;
    }

    public static ReplicaStatus status(int id, boolean simulatedFailure) {
        return new ReplicaStatus(id, "127.0.0.1:710" + id, 1000, 65_000, 0, 0, 0, 0, 0, 0, simulatedFailure, -1, -1, 5, 1);
    }

    /** Replica {@code id} answered at {@code at}, knowing {@code view}, holding a read lease. */
    public ReplicaSnapshot up(int id, View view, long at) {
        return up(id, view, at, false, null);
    }

    public ReplicaSnapshot up(int id, View view, long at, boolean simulatedFailure, CatchUp catchUp) {
        MembershipStatus m = new MembershipStatus(id, view, view.isMember(id), view.isMember(id) ? 2500 : 0,
                view.isMember(id) ? "" : "not a member of " + view.text(), catchUp);
        return new ReplicaSnapshot(config.require(id), ReplicaHealth.UP, status(id, simulatedFailure), "", at, m);
    }

    /** Replica {@code id} did not answer at {@code at}; the watcher still carries what it said last. */
    public ReplicaSnapshot down(int id, ReplicaSnapshot last, long at) {
        return new ReplicaSnapshot(config.require(id), ReplicaHealth.UNREACHABLE, last.status(),
                "replica " + id + " is unreachable: connection refused", at, last.membership());
    }
}
