package chorus.console.service;

import chorus.api.config.ClusterConfig;
import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.TxId;
import chorus.api.model.View;
import chorus.api.model.WriteResult;
import java.util.List;

/**
 * The one facade between the console and the replicas. Every method may block on the network and
 * must be called off the JavaFX thread; each is bounded by a timeout and fails with an exception
 * whose message is meant for the operator (see {@link Failures#describe}).
 */
public interface ClusterGateway extends AutoCloseable {

    /**
     * Reaches the replica at {@code hostPort}, learns the cluster's membership from it and starts
     * watching every replica. Replaces any earlier connection.
     */
    ClusterConfig connect(String hostPort) throws Exception;

    ReadResult get(int replica, String key) throws Exception;

    WriteResult put(int replica, String key, String value) throws Exception;

    WriteResult delete(int replica, String key) throws Exception;

    WriteResult execute(int replica, List<Mutation> mutations) throws Exception;

    void setSimulatedFailure(int replica, boolean failed) throws Exception;

    void forceDecision(int replica, TxId txId, Decision decision, String note) throws Exception;

    /**
     * Asks replica {@code proposer} to have a majority agree a view without {@code replica}, as the
     * operator. Takes seconds (it waits out the excluded replica's read lease); returns the agreed view.
     */
    View exclude(int proposer, int replica) throws Exception;

    /** Asks replica {@code replica} itself to rejoin the write set, as the operator; returns the agreed view. */
    View readmit(int replica) throws Exception;

    /** Asks every watcher to poll now instead of at its next tick (after an operator action). */
    void refreshSoon();

    void addListener(ClusterListener listener);

    @Override
    void close();
}
