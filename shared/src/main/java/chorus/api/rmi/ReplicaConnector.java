package chorus.api.rmi;

import chorus.api.KeyValueService;
import chorus.api.NotPermittedException;
import chorus.api.ReplicaAdmin;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Security;
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
    private final String token;

    public ReplicaConnector(Timeouts timeouts) {
        this(timeouts, Security.NONE);
    }

    /**
     * A connector for a cluster with {@code security}: with TLS it installs this process's TLS
     * identity; with an operator token it presents it, so that the admin stubs it returns may
     * change state.
     */
    public ReplicaConnector(Timeouts timeouts, Security security) {
        if (security.tls()) {
            TlsSockets.install(security);
        }
        this.sockets = new TimeoutClientSocketFactory(
                Math.toIntExact(timeouts.connect().toMillis()), Math.toIntExact(timeouts.read().toMillis()), security.tls());
        this.token = security.readToken().orElse(null);
    }

    public ReplicaConnector(ClusterConfig cluster) {
        this(cluster.timeouts(), cluster.security());
    }

    public ReplicaConnection connect(ReplicaAddress address) throws RemoteException {
        Registry registry = LocateRegistry.getRegistry(address.host(), address.port(), sockets);
        try {
            KeyValueService kv = (KeyValueService) registry.lookup(KeyValueService.NAME);
            ReplicaAdmin admin = (ReplicaAdmin) registry.lookup(ReplicaAdmin.NAME);
            if (token != null) {
                admin = admin.withToken(token);
            }
            return new ReplicaConnection(address, kv, admin);
        } catch (NotPermittedException e) {
            throw new RemoteException(address + " refused the operator token: " + e.getMessage());
        } catch (NotBoundException e) {
            throw new RemoteException(address + " answers but is not a Chorus replica (no " + e.getMessage() + ")");
        } catch (ClassCastException e) {
            throw new RemoteException(address + " answers with a different protocol: " + e.getMessage());
        }
    }
}
