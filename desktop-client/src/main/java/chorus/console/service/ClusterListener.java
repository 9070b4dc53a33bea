package chorus.console.service;

import chorus.api.model.InDoubtTransaction;
import chorus.api.model.KeyEntry;
import chorus.api.model.ProtocolEvent;
import java.util.List;

/**
 * What the cluster service reports as it polls. Called on the service's own threads; the
 * application moves every call onto the JavaFX thread in one place ({@code FxClusterBridge}).
 */
public interface ClusterListener {

    /** A replica answered its status call, or stopped answering. */
    void replicaUpdated(ReplicaSnapshot snapshot);

    /** New events from one replica's log, oldest first; {@code missed} counts events lost to the replica's window. */
    void eventsArrived(int replica, List<ProtocolEvent> events, long missed);

    /** A replica's complete contents, in key order, read page by page. */
    void contentsLoaded(int replica, List<KeyEntry> entries);

    /** The transactions a replica holds in doubt (empty when none). */
    void inDoubtLoaded(int replica, List<InDoubtTransaction> transactions);
}
