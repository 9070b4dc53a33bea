package chorus.server.storage;

import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.ReplicaStoreContract;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Against a real RocksDB; a power loss it cannot model (a closed database keeps even unsynced writes). */
class RocksStoreContractTest extends ReplicaStoreContract {

    private record Opened(Path dir, int changeRetention) {
    }

    @TempDir
    Path dir;
    private final Map<ReplicaStore, Opened> stores = new HashMap<>();

    @Override
    protected ReplicaStore create(int changeRetention) {
        return open(new Opened(dir.resolve("db" + stores.size()), changeRetention));
    }

    @Override
    protected ReplicaStore reopen(ReplicaStore s) {
        s.close();
        return open(stores.get(s));
    }

    private ReplicaStore open(Opened how) {
        ReplicaStore s = RocksStore.open(how.dir(), System::currentTimeMillis, how.changeRetention());
        stores.put(s, how);
        return s;
    }
}
