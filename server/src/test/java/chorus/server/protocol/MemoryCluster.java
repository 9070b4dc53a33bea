package chorus.server.protocol;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Timeouts;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** N protocol nodes over {@link MemoryStore}s and an {@link InMemoryNetwork}, for unit tests. */
final class MemoryCluster implements AutoCloseable {

    /** Short timeouts: unit tests of timeout paths take a fraction of a second. */
    static final Timeouts FAST = new Timeouts(Duration.ofMillis(100), Duration.ofMillis(3000), Duration.ofMillis(300),
            Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofMillis(200),
            Duration.ofMillis(1), Duration.ofMillis(100), 20);

    final ClusterConfig config;
    final InMemoryNetwork network;
    private final Map<Integer, ReplicaNode> nodes = new ConcurrentHashMap<>();
    private final Map<Integer, MemoryStore> stores = new HashMap<>();

    MemoryCluster(int n) {
        this(n, FAST);
    }

    MemoryCluster(int n, Timeouts timeouts) {
        this(ClusterConfig.localhost(n, 7000, timeouts));
    }

    MemoryCluster(ClusterConfig config) {
        int n = config.size();
        this.config = config;
        this.network = new InMemoryNetwork(nodes::get);
        for (int id = 1; id <= n; id++) {
            stores.put(id, new MemoryStore());
            start(id);
        }
    }

    ReplicaNode node(int id) {
        return nodes.get(id);
    }

    MemoryStore store(int id) {
        return stores.get(id);
    }

    /** Stops node {@code id} as a crash would: in-memory state is gone, the store stays. */
    void crash(int id) {
        ReplicaNode n = nodes.remove(id);
        if (n != null) {
            n.close();
        }
    }

    void start(int id) {
        ReplicaNode n = new ReplicaNode(id, config, stores.get(id), network.channelFor(id), Scheduler.threads(), 10_000);
        // Recover before anyone can reach it, as Replica does before exporting its RMI objects: a
        // decision that arrived earlier would find no prepared transaction and be acknowledged, and
        // the coordinator would forget a commit this replica still has to apply.
        n.start();
        nodes.put(id, n);
    }

    @Override
    public void close() {
        network.releaseAll();
        nodes.values().forEach(ReplicaNode::close);
    }
}
