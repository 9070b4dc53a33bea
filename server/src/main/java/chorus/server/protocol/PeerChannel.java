package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.TxId;

/**
 * How the protocol reaches other replicas (and itself). Every call is bounded by the transport's own
 * timeouts; the coordinator applies its vote and acknowledgement timeouts on top. RMI implements it
 * between processes; unit tests implement it in memory with switches to block or delay a replica.
 */
public interface PeerChannel {

    /**
     * Takes the transaction's locks at {@code replica}, the lock primary, before any PREPARE: the
     * order that keeps conflicting transactions from deadlocking across replicas. Nothing is made
     * durable; the locks lapse if no PREPARE follows within the lock lease.
     */
    Vote lock(int replica, PrepareRequest request) throws Exception;

    Vote prepare(int replica, PrepareRequest request) throws Exception;

    void decide(int replica, TxId txId, Decision decision) throws Exception;

    /**
     * Asks {@code replica} what it knows of {@code txId}. {@code preparedAtMillis} tells a peer how old
     * the question is, so that it does not presume from forgotten history.
     */
    TxOutcome outcome(int replica, TxId txId, long preparedAtMillis) throws Exception;
}
