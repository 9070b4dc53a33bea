package chorus.server.transport;

import chorus.api.NotPermittedException;
import java.rmi.Remote;
import java.rmi.RemoteException;

/**
 * The only way to a replica's {@link PeerService}, which is bound in no registry: a caller proves
 * that it knows the cluster secret by answering a fresh challenge, and the replica proves the same
 * in return before the caller trusts its votes and outcomes. The secret itself never crosses the
 * network. Bound in each replica's registry as {@link #NAME}.
 */
public interface PeerDoor extends Remote {

    String NAME = "chorus.peer-door";

    /** {@link chorus.api.config.ClusterConfig#fingerprint()} of the cluster this replica belongs to. */
    String clusterFingerprint() throws RemoteException;

    /** A fresh random challenge, valid once and for a short time. */
    byte[] challenge() throws RemoteException;

    /**
     * Opens the peer service to replica {@code from}.
     *
     * @param challenge   a challenge this replica handed out and that has not been used yet
     * @param callerNonce the caller's own random bytes, which the answer's proof covers
     * @param proof       {@link PeerProof#request} over these values
     * @throws NotPermittedException if the proof is wrong or the challenge unknown, spent or stale
     */
    PeerPass open(int from, byte[] challenge, byte[] callerNonce, byte[] proof) throws NotPermittedException, RemoteException;
}
