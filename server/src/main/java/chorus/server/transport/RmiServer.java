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
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.net.ssl.SSLContext;

/**
 * Exports a replica's registry and its client and admin services on the replica's port, and its
 * peer service on a listener of its own (the peer port), both bound to the configured address,
 * with timeout sockets for callers and the API serialization filter on every incoming call. The
 * peer service's own listener keeps peers' connections apart from clients': a flood of client
 * connections never takes the slots the protocol needs.
 */
public final class RmiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RmiServer.class);

    private final Registry registry;
    private final IdleReaper reaper;
    private final List<Remote> exported = new ArrayList<>();
    private final PeerTraffic traffic = new PeerTraffic();

    private RmiServer(Registry registry, IdleReaper reaper) {
        this.registry = registry;
        this.reaper = reaper;
    }

    /** Starts serving; the caller must have set {@code java.rmi.server.hostname} to the replica's host. */
    public static RmiServer start(ReplicaNode node, SSLContext tls, Optional<String> operatorToken) throws RemoteException {
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
        Registry registry = LocateRegistry.createRegistry(a.port(), csf, ssf);
        RmiServer server = new RmiServer(registry, new IdleReaper(List.of(clients, peers), limits.idleTimeout(), report));
        try {
            FailureGate gate = new FailureGate(node);
            server.export(KeyValueService.NAME, new KeyValueEndpoint(node, gate), a.port(), csf, ssf);
            OperatorGate operators = new OperatorGate(a.id(), operatorToken);
            ReplicaAdmin plain = (ReplicaAdmin) server.export(ReplicaAdmin.NAME, new AdminEndpoint(node, operators, false),
                    a.port(), csf, ssf);
            // Not bound in the registry: reachable only through withToken.
            ReplicaAdmin operator = (ReplicaAdmin) server.export(null, new AdminEndpoint(node, operators, true), a.port(), csf, ssf);
            operators.stubs(plain, operator);
            server.exportPeerService(new PeerEndpoint(node, gate, server.traffic), a.peerPort(), csf,
                    new BoundServerSocketFactory("peer", a.host(), tls, a.id(), peers));
        } catch (RemoteException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The peer service on its own listener ({@code port} 0: an ephemeral one); peers find it through the registry. */
    private void exportPeerService(PeerEndpoint peers, int port, TimeoutClientSocketFactory csf, BoundServerSocketFactory peerSockets)
            throws RemoteException {
        export(PeerService.NAME, peers, port, csf, peerSockets, SerialFilters.PEER);
    }

    private Remote export(String name, Remote service, int port, TimeoutClientSocketFactory csf, BoundServerSocketFactory ssf)
            throws RemoteException {
        return export(name, service, port, csf, ssf, SerialFilters.API);
    }

    private Remote export(String name, Remote service, int port, TimeoutClientSocketFactory csf, BoundServerSocketFactory ssf,
                          ObjectInputFilter filter) throws RemoteException {
        Remote stub = UnicastRemoteObject.exportObject(service, port, csf, ssf, filter);
        exported.add(service);
        if (name != null) {
            registry.rebind(name, stub);
        }
        return stub;
    }

    @Override
    public void close() {
        for (Remote r : exported) {
            unexport(r);
        }
        unexport(registry);
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
