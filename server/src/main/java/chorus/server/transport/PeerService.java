package chorus.server.transport;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import chorus.server.protocol.PrepareRequest;
import chorus.server.protocol.TxOutcome;
import chorus.server.protocol.Vote;
import java.rmi.Remote;
import java.rmi.RemoteException;

/** Replica-to-replica calls of two-phase commit, exported by every replica next to the client API. */
public interface PeerService extends Remote {

    String NAME = "chorus.peer";

    /** {@link chorus.api.config.ClusterConfig#fingerprint()} of the cluster this replica belongs to. */
    String clusterFingerprint() throws RemoteException;

    Vote lock(PrepareRequest request) throws RemoteException;

    Vote prepare(PrepareRequest request) throws RemoteException;

    void decide(TxId txId, Decision decision) throws RemoteException;

    TxOutcome outcome(TxId txId, long preparedAtMillis) throws RemoteException;
}
