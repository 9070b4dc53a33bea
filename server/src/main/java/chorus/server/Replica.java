package chorus.server;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Security;
import chorus.api.rmi.TlsSockets;
import chorus.server.http.HttpApi;
import chorus.server.protocol.ReplicaNode;
import chorus.server.protocol.Scheduler;
import chorus.server.storage.RocksStore;
import chorus.server.transport.LocalAdmin;
import chorus.server.transport.RmiPeerChannel;
import chorus.server.transport.RmiServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.rmi.RemoteException;
import javax.net.ssl.SSLContext;

/**
 * One running replica: storage, protocol, RMI and (where the cluster file names its port) HTTP,
 * started in that order and closed in reverse.
 */
public final class Replica implements AutoCloseable {

    private final RocksStore store;
    private final ReplicaNode node;
    private final RmiServer rmi;
    private final HttpApi http;

    private Replica(RocksStore store, ReplicaNode node, RmiServer rmi, HttpApi http) {
        this.store = store;
        this.node = node;
        this.rmi = rmi;
        this.http = http;
    }

    public static Replica start(int id, ClusterConfig cluster, Path dataDir) throws IOException {
        return start(id, cluster, dataDir, false);
    }

    /**
     * @param allowFaults accept injected faults over the admin interface (failure drills and chaos tests only)
     * @throws RemoteException when RMI cannot listen; an IOException of another kind when HTTP cannot
     */
    public static Replica start(int id, ClusterConfig cluster, Path dataDir, boolean allowFaults) throws IOException {
        cluster.require(id);
        // Read before anything is opened: without the secret the replica could not talk to its peers.
        List<String> peerSecrets = cluster.security().readPeerSecrets();
        RocksStore store = RocksStore.open(dataDir, System::currentTimeMillis);
        ReplicaNode node = null;
        try {
            RmiPeerChannel channel = new RmiPeerChannel(id, cluster, peerSecrets);
            node = new ReplicaNode(id, cluster, store, channel, Scheduler.threads(), 20_000);
            store.timeDurableWrites(node.metrics()::durableWrite);
            channel.attach(node);
            if (allowFaults) {
                node.faults().allow();
            }
            // Recover before serving, so that no client sees a key whose prepared write is not yet locked again.
            node.start();
            // TLS identity for both directions: peers' stubs use it when this replica calls them.
            Security security = cluster.security().forReplica(id);
            SSLContext tls = null;
            SSLContext peerTls = null;
            if (security.tls()) {
                tls = TlsSockets.install(security);
                ReplicaNode n = node;
                peerTls = TlsSockets.loadForPeerPort(security,
                        refusal -> n.recordAccessRefused("replica " + id + " refused " + refusal));
            }
            Optional<String> operatorToken = security.readToken();
            RmiServer rmi = RmiServer.start(node, tls, peerTls, operatorToken, peerSecrets);
            HttpApi http = null;
            if (node.address().servesHttp()) {
                try {
                    http = HttpApi.start(node, tls, cluster.limits(), LocalAdmin.of(node, operatorToken));
                } catch (IOException e) {
                    rmi.close();
                    throw e;
                }
            }
            channel.connectAllInBackground(Duration.ofSeconds(60));
            return new Replica(store, node, rmi, http);
        } catch (IOException | RuntimeException e) {
            if (node != null) {
                node.close();
            }
            store.close();
            throw e;
        }
    }

    public ReplicaNode node() {
        return node;
    }

    public RocksStore store() {
        return store;
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        rmi.close();
        node.close();
        store.close();
    }
}
