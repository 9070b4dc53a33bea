package chorus.api.rmi;

import chorus.api.KeyValueService;
import chorus.api.ReplicaAdmin;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Timeouts;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;

/**
 * Looks up a replica's services with timeouts on the lookup itself; the stubs it returns carry
 * the replica's own timeout socket factory.
 */
public final class ReplicaConnector {

    private final TimeoutClientSocketFactory sockets;

    public ReplicaConnector(Timeouts timeouts) {
        this.sockets = new TimeoutClientSocketFactory(
                Math.toIntExact(timeouts.connect().toMillis()), Math.toIntExact(timeouts.read().toMillis()));
    }

    public ReplicaConnection connect(ReplicaAddress address) throws RemoteException {
        Registry registry = LocateRegistry.getRegistry(address.host(), address.port(), sockets);
        try {
            KeyValueService kv = (KeyValueService) registry.lookup(KeyValueService.NAME);
            ReplicaAdmin admin = (ReplicaAdmin) registry.lookup(ReplicaAdmin.NAME);
            return new ReplicaConnection(address, kv, admin);
        } catch (NotBoundException e) {
            throw new RemoteException(address + " answers but is not a Chorus replica (no " + e.getMessage() + ")");
        } catch (ClassCastException e) {
            throw new RemoteException(address + " answers with a different protocol: " + e.getMessage());
        }
    }
}
