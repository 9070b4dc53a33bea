package chorus.api;

import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.util.List;

/**
 * The client API that every replica serves. Writes are coordinated by the replica that receives
 * them, by two-phase commit across all replicas; they return once the decision is durable and every
 * reachable replica has acknowledged it. Reads are served from the replica's own committed state
 * and are linearizable: a read waits for the outcome of a prepared write on its key.
 */
public interface KeyValueService extends Remote {

    /** Bound under this name in each replica's RMI registry. */
    String NAME = "chorus.kv";

    ReadResult get(String key) throws ChorusException, RemoteException;

    WriteResult put(String key, String value) throws ChorusException, RemoteException;

    WriteResult delete(String key) throws ChorusException, RemoteException;

    /**
     * An atomic batch: every mutation is applied or none is. Each mutation may carry an expected
     * version (see {@link Mutation#ANY_VERSION}); a mismatch aborts the whole batch.
     */
    WriteResult execute(List<Mutation> mutations) throws ChorusException, RemoteException;
}
