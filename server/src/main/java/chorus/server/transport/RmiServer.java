package chorus.server.transport;

import chorus.api.KeyValueService;
import chorus.api.ReplicaAdmin;
import chorus.api.Limits;
import chorus.api.config.ConnectionLimits;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Timeouts;
import chorus.api.rmi.SerialFilters;
import chorus.api.rmi.TimeoutClientSocketFactory;
import chorus.server.protocol.ReplicaNode;
import java.io.ObjectInputFilter;
import java.rmi.NoSuchObjectException;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.net.ssl.SSLContext;

/**
 * Exports a replica's read-only registry and its client and admin services on the replica's port,
 * and its peer door and peer service on a listener of their own (the peer port), both bound to the
 * configured address, with timeout sockets for callers and the API serialization filter on every
 * incoming call. The registry names the client API, the admin API and the peer door; the operator's
 * admin object and the peer service are reachable only through the token and the door. The peer
 * port keeps peers' connections apart from clients': a flood of client connections never takes the
 * slots the protocol needs.
 */
public final class RmiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RmiServer.class);

    private final IdleReaper reaper;
    private final List<Remote> exported = new ArrayList<>();
    private final PeerTraffic traffic = new PeerTraffic();
    private Registry registry;

    private RmiServer(IdleReaper reaper) {
        this.reaper = reaper;
    }

    /**
     * Fails with {@link IllegalAccessError} unless the JVM lets the read-only registry extend the
     * JDK's: checked before a replica opens anything, so that the error comes first and alone.
     */
    public static void requireRegistryAccess() {
        try {
            Class.forName(ReadOnlyRegistry.class.getName(), true, RmiServer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the replica's own registry class is missing", e);
        }
    }

    /**
     * Starts serving; the caller must have set {@code java.rmi.server.hostname} to the replica's
     * host and {@code java.rmi.server.randomIDs} to true (unbound stubs are capabilities).
     *
     * @param tls        the replica's TLS identity, or null for plain TCP
     * @param peerTls    the same for the peer port, which accepts replicas' certificates only
     * @param peerSecrets the cluster secrets, one of which callers of the peer service must prove
     */
    public static RmiServer start(ReplicaNode node, SSLContext tls, SSLContext peerTls, Optional<String> operatorToken,
                                  List<String> peerSecrets)
            throws RemoteException {
        ReplicaAddress a = node.address();
        Timeouts t = node.cluster().timeouts();
        TimeoutClientSocketFactory csf = new TimeoutClientSocketFactory(Math.toIntExact(t.connect().toMillis()),
                Math.toIntExact(t.read().toMillis()), tls != null);
        ConnectionLimits limits = node.cluster().limits();
        RefusalReport report = new RefusalReport(node::recordRefusal, System::nanoTime);
        ListenerGuard clients = new ListenerGuard("client", a.id(), limits.maxConnections(), Limits.MAX_REQUEST_BYTES,
                limits.requestBudgetBytes(), report);
        // A PREPARE message carries several transactions' batches: a peer call may use the listener's whole budget.
        ListenerGuard peers = new ListenerGuard("peer", a.id(), limits.maxPeerConnections(), limits.requestBudgetBytes(),
                limits.requestBudgetBytes(), report);
        BoundServerSocketFactory ssf = new BoundServerSocketFactory("client", a.host(), tls, a.id(), clients);
        BoundServerSocketFactory peerSockets = new BoundServerSocketFactory("peer", a.host(), peerTls, a.id(), peers);
        RmiServer server = new RmiServer(new IdleReaper(List.of(clients, peers), limits.idleTimeout(), report));
        try {
            Map<String, Remote> names = new LinkedHashMap<>();
            FailureGate gate = new FailureGate(node);
            names.put(KeyValueService.NAME, server.export(new KeyValueEndpoint(node, gate), a.port(), csf, ssf));
            OperatorGate operators = new OperatorGate(a.id(), operatorToken);
            ReplicaAdmin plain = (ReplicaAdmin) server.export(new AdminEndpoint(node, operators, false), a.port(), csf, ssf);
            names.put(ReplicaAdmin.NAME, plain);
            // Not bound in the registry: reachable only through withToken.
            ReplicaAdmin operator = (ReplicaAdmin) server.export(new AdminEndpoint(node, operators, true), a.port(), csf, ssf);
            operators.stubs(plain, operator);
            // Not bound either, and on the peer port: only a caller that proves the cluster secret at
            // the door gets it. The door's own calls are small; the peer service's may carry batches.
            PeerService peerService = (PeerService) server.export(new PeerEndpoint(node, gate, server.traffic), a.peerPort(), csf,
                    peerSockets, SerialFilters.PEER);
            names.put(PeerDoor.NAME, server.export(new PeerDoorEndpoint(node, peerSecrets, peerService), a.peerPort(), csf,
                    peerSockets));
            server.registry = new ReadOnlyRegistry(a.id(), a.port(), csf, ssf, SerialFilters.API, names, node::recordAccessRefused);
        } catch (RemoteException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private Remote export(Remote service, int port, TimeoutClientSocketFactory csf, BoundServerSocketFactory ssf)
            throws RemoteException {
        return export(service, port, csf, ssf, SerialFilters.API);
    }

    private Remote export(Remote service, int port, TimeoutClientSocketFactory csf, BoundServerSocketFactory ssf,
                          ObjectInputFilter filter) throws RemoteException {
        Remote stub = UnicastRemoteObject.exportObject(service, port, csf, ssf, filter);
        exported.add(service);
        return stub;
    }

    @Override
    public void close() {
        for (Remote r : exported) {
            unexport(r);
        }
        if (registry != null) {
            unexport(registry);
        }
        reaper.close();
        LOG.info("peer calls served: {}", traffic);
    }

    private static void unexport(Remote r) {
        try {
            UnicastRemoteObject.unexportObject(r, true);
        } catch (NoSuchObjectException e) {
            // already gone
        }
    }
}
