package chorus.server.http;

import chorus.api.model.ReplicaStatus;
import chorus.api.model.View;
import chorus.server.protocol.ReplicaNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a replica should not get traffic now, for {@code /health/ready}. It is never asked before
 * recovery is done: the HTTP server starts after it. Not ready while the failure switch is on, while
 * the replica is no member of the current view, or while its storage refuses writes.
 */
final class Health {

    private final ReplicaNode node;

    Health(ReplicaNode node) {
        this.node = node;
    }

    List<String> notReadyBecause() {
        List<String> reasons = new ArrayList<>();
        int id = node.address().id();
        if (node.failed()) {
            reasons.add("replica " + id + " is down (simulated failure)");
        }
        View view = node.membership().current();
        if (!view.isMember(id)) {
            reasons.add("replica " + id + " is no member of view " + view.text());
        }
        ReplicaStatus status = node.status();
        if (status.storageFailing()) {
            reasons.add("replica " + id + "'s storage: " + status.storageProblem());
        }
        return reasons;
    }
}
