package chorus.bench.ycsb;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.Stat;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * YCSB binding for Apache ZooKeeper: one znode per record under one parent ({@code /TABLE/KEY}),
 * the record's fields encoded as its data exactly as the Chorus binding encodes its value
 * ({@link Records}). YCSB creates one instance per client thread; each opens its own session to one
 * server, a run's clients taking the servers round-robin as Chorus's do ({@link Placement}).
 *
 * <p>Properties: {@code zookeeper.servers} (comma-separated {@code host:port}, required),
 * {@code zookeeper.timeout.ms} (session and request timeout, default 15000). {@code read},
 * {@code update}, {@code insert}, {@code delete} map to getData, setData, create, delete; an update
 * of only some fields is a read and a versioned setData. {@code scan} is not supported. Reads are
 * ZooKeeper's ordinary reads, served by the connected server (sequentially consistent, not
 * linearizable: no {@code sync} first).
 */
public final class ZooKeeperClient extends DB {

    public static final String SERVERS_PROPERTY = "zookeeper.servers";
    public static final String TIMEOUT_PROPERTY = "zookeeper.timeout.ms";

    private static final AtomicInteger NEXT_SERVER = new AtomicInteger();
    private static final int MERGE_ATTEMPTS = 20;

    private ZooKeeper zk;
    private int fieldCount;
    private final Map<String, String> parents = new HashMap<>();

    @Override
    public void init() throws DBException {
        String servers = getProperties().getProperty(SERVERS_PROPERTY);
        if (servers == null || servers.isBlank()) {
            throw new DBException("property " + SERVERS_PROPERTY + " (host:port,...) is not set");
        }
        List<String> list = List.of(servers.split(","));
        String server = Placement.server(getProperties(), list, NEXT_SERVER).trim();
        int timeoutMs = Integer.parseInt(getProperties().getProperty(TIMEOUT_PROPERTY, "15000"));
        fieldCount = Integer.parseInt(getProperties().getProperty("fieldcount", "10"));
        zk = connect(server, timeoutMs);
    }

    /** A session to {@code server}, once it is connected; every request of it times out after {@code timeoutMs}. */
    public static ZooKeeper connect(String server, int timeoutMs) throws DBException {
        CountDownLatch connected = new CountDownLatch(1);
        ZKClientConfig config = new ZKClientConfig();
        // The client's default request timeout is infinite: a hung server would hang the benchmark.
        config.setProperty(ZKClientConfig.ZOOKEEPER_REQUEST_TIMEOUT, String.valueOf(timeoutMs));
        ZooKeeper zk = null;
        try {
            zk = new ZooKeeper(server, timeoutMs, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            }, config);
            if (!connected.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new DBException("ZooKeeper server " + server + " did not accept a session within " + timeoutMs + " ms");
            }
            return zk;
        } catch (java.io.IOException e) {
            throw new DBException("cannot connect to ZooKeeper server " + server + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(zk);
            throw new DBException("interrupted while connecting to " + server, e);
        } catch (DBException e) {
            close(zk);
            throw e;
        }
    }

    @Override
    public void cleanup() {
        close(zk);
    }

    private static void close(ZooKeeper zk) {
        if (zk != null) {
            try {
                zk.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            byte[] data = zk.getData(path(table, key), false, null);
            Records.into(Records.decode(new String(data, StandardCharsets.UTF_8), fields), result);
            return Status.OK;
        } catch (KeeperException.NoNodeException e) {
            return Status.NOT_FOUND;
        } catch (KeeperException | IllegalArgumentException e) {
            return error(e);
        } catch (InterruptedException e) {
            return interrupted();
        }
    }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        String path = path(table, key);
        try {
            if (values.size() >= fieldCount) {
                zk.setData(path, bytes(Records.encode(values)), -1);
                return Status.OK;
            }
            for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
                Stat stat = new Stat();
                byte[] data = zk.getData(path, false, stat);
                Map<String, String> merged = new HashMap<>(Records.decode(new String(data, StandardCharsets.UTF_8), null));
                values.forEach((f, v) -> merged.put(f, v.toString()));
                try {
                    zk.setData(path, bytes(Records.encodeStrings(merged)), stat.getVersion());
                    return Status.OK;
                } catch (KeeperException.BadVersionException e) {
                    // changed under us: read again
                }
            }
            return new Status("CONFLICT", "record kept changing under a partial update");
        } catch (KeeperException.NoNodeException e) {
            return Status.NOT_FOUND;
        } catch (KeeperException | IllegalArgumentException e) {
            return error(e);
        } catch (InterruptedException e) {
            return interrupted();
        }
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        try {
            ensureParent(table);
            zk.create(path(table, key), bytes(Records.encode(values)), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            return Status.OK;
        } catch (KeeperException e) {
            return error(e);
        } catch (InterruptedException e) {
            return interrupted();
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            zk.delete(path(table, key), -1);
            return Status.OK;
        } catch (KeeperException.NoNodeException e) {
            return Status.NOT_FOUND;
        } catch (KeeperException e) {
            return error(e);
        } catch (InterruptedException e) {
            return interrupted();
        }
    }

    private void ensureParent(String table) throws KeeperException, InterruptedException {
        if (parents.containsKey(table)) {
            return;
        }
        try {
            zk.create("/" + table, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // another client thread made it
        }
        parents.put(table, table);
    }

    private static String path(String table, String key) {
        return "/" + table + "/" + key;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Status error(Exception e) {
        return new Status("ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static Status interrupted() {
        Thread.currentThread().interrupt();
        return new Status("ERROR", "interrupted");
    }
}
