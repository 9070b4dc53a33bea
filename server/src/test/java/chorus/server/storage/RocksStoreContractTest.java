package chorus.server.storage;

import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.ReplicaStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class RocksStoreContractTest extends ReplicaStoreContract {

    @TempDir
    Path dir;
    private int stores;

    @Override
    protected ReplicaStore create() {
        return RocksStore.open(dir.resolve("db" + ++stores), System::currentTimeMillis);
    }
}
