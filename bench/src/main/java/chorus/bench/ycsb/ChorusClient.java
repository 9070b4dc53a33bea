package chorus.bench.ycsb;

import chorus.api.ChorusException;
import chorus.api.KeyValueService;
import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.rmi.ReplicaConnector;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicInteger;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * YCSB binding for Chorus. YCSB creates one instance per client thread; each instance connects to
 * one replica, and a run's clients take the replicas round-robin ({@link Placement}), so the
 * clients (and the coordination of their writes) spread over the whole cluster.
 *
 * <p>Properties: {@code chorus.config} (path of the cluster file, required). A record is one key
 * ({@code TABLE/KEY}) whose value holds every field ({@link Records}). {@code read}, {@code update},
 * {@code insert}, {@code delete} map to get, put, put, delete; an update that names only some of
 * the record's fields reads the record and writes the merge conditionally on its version.
 * {@code scan} is not supported (Chorus has no client-side range read).
 */
public final class ChorusClient extends DB {

    public static final String CONFIG_PROPERTY = "chorus.config";
    /** A replica the clients leave alone (an excluded one), or absent. */
    public static final String AVOID_PROPERTY = "chorus.avoid";

    private static final AtomicInteger NEXT_REPLICA = new AtomicInteger();
    private static final int MERGE_ATTEMPTS = 20;

    private KeyValueService kv;
    private int fieldCount;

    @Override
    public void init() throws DBException {
        String file = getProperties().getProperty(CONFIG_PROPERTY);
        if (file == null) {
            throw new DBException("property " + CONFIG_PROPERTY + " (the cluster file) is not set");
        }
        ClusterConfig cluster = ClusterConfig.load(Path.of(file));
        int avoid = Integer.parseInt(getProperties().getProperty(AVOID_PROPERTY, "0"));
        List<ReplicaAddress> replicas = cluster.replicas().stream().filter(r -> r.id() != avoid).toList();
        ReplicaAddress replica = Placement.server(getProperties(), replicas, NEXT_REPLICA);
        fieldCount = Integer.parseInt(getProperties().getProperty("fieldcount", "10"));
        try {
            kv = new ReplicaConnector(cluster).connect(replica).kv();
        } catch (RemoteException e) {
            throw new DBException("cannot reach Chorus replica " + replica + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            ReadResult r = kv.get(table + "/" + key);
            if (!r.found()) {
                return Status.NOT_FOUND;
            }
            Records.into(Records.decode(r.value(), fields), result);
            return Status.OK;
        } catch (ChorusException | RemoteException | IllegalArgumentException e) {
            return error(e);
        }
    }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        String k = table + "/" + key;
        try {
            if (values.size() >= fieldCount) {
                kv.put(k, Records.encode(values));
                return Status.OK;
            }
            for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
                ReadResult r = kv.get(k);
                if (!r.found()) {
                    return Status.NOT_FOUND;
                }
                Map<String, String> merged = new HashMap<>(Records.decode(r.value(), null));
                values.forEach((f, v) -> merged.put(f, v.toString()));
                try {
                    kv.execute(List.of(new Mutation.Put(k, Records.encodeStrings(merged), r.version())));
                    return Status.OK;
                } catch (chorus.api.TransactionAbortedException e) {
                    if (e.abortCause() != chorus.api.model.AbortCause.VERSION_MISMATCH) {
                        throw e;
                    }
                }
            }
            return new Status("CONFLICT", "record kept changing under a partial update");
        } catch (ChorusException | RemoteException | IllegalArgumentException e) {
            return error(e);
        }
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        try {
            kv.put(table + "/" + key, Records.encode(values));
            return Status.OK;
        } catch (ChorusException | RemoteException e) {
            return error(e);
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            kv.delete(table + "/" + key);
            return Status.OK;
        } catch (ChorusException | RemoteException e) {
            return error(e);
        }
    }

    private static Status error(Exception e) {
        return new Status("ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
