package chorus.server.transport;

import chorus.api.ChorusException;
import chorus.api.KeyValueService;
import chorus.api.Limits;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import chorus.server.protocol.ReplicaNode;
import java.rmi.RemoteException;
import java.util.List;

/**
 * The replica's service towards clients, as RMI exports it; the HTTP adapter calls the same object
 * (through {@link #of}), so that both faces check and refuse alike.
 */
public final class KeyValueEndpoint implements KeyValueService {

    private final ReplicaNode node;
    private final FailureGate gate;

    KeyValueEndpoint(ReplicaNode node, FailureGate gate) {
        this.node = node;
        this.gate = gate;
    }

    /** The client service of {@code node}, for adapters other than RMI (calls are local, never remote). */
    public static KeyValueService of(ReplicaNode node) {
        return new KeyValueEndpoint(node, new FailureGate(node));
    }

    @Override
    public ReadResult get(String key) throws ChorusException, RemoteException {
        gate.checkClientCall();
        try {
            return node.get(key);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    @Override
    public WriteResult put(String key, String value) throws ChorusException, RemoteException {
        Limits.checkKey(key);
        Limits.checkValue(value);
        return execute(List.of(Mutation.put(key, value)));
    }

    @Override
    public WriteResult delete(String key) throws ChorusException, RemoteException {
        Limits.checkKey(key);
        return execute(List.of(Mutation.delete(key)));
    }

    @Override
    public WriteResult execute(List<Mutation> mutations) throws ChorusException, RemoteException {
        gate.checkClientCall();
        try {
            return node.execute(mutations);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private ChorusException interrupted() {
        Thread.currentThread().interrupt();
        return new ChorusException("replica " + node.address().id() + " is shutting down");
    }
}
