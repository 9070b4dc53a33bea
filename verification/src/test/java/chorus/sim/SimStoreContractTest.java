package chorus.sim;

import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.CrashableStoreContract;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;

/** Over a {@link SimDisk}; a power loss there keeps the synced writes and a random prefix of the rest. */
class SimStoreContractTest extends CrashableStoreContract {

    private record Opened(SimDisk disk, int changeRetention) {
    }

    private final Sim sim = new Sim(7, new Trace(100));
    private final SplittableRandom random = new SplittableRandom(7);
    private final Map<ReplicaStore, Opened> stores = new HashMap<>();

    @Override
    protected ReplicaStore create(int changeRetention) {
        return open(new Opened(new SimDisk(), changeRetention));
    }

    @Override
    protected ReplicaStore reopen(ReplicaStore s) {
        return open(stores.get(s));
    }

    @Override
    protected ReplicaStore crash(ReplicaStore s) {
        Opened how = stores.get(s);
        how.disk().crash(random);
        return open(how);
    }

    /** A new incarnation of the replica over the same disk. */
    private ReplicaStore open(Opened how) {
        Host host = new Host("r1." + (stores.size() + 1), 1, 0);
        ReplicaStore s = new SimStore(how.disk(), host, new SimScheduler(sim, host), true, true, how.changeRetention());
        stores.put(s, how);
        return s;
    }

    @AfterEach
    void closeSim() {
        sim.close();
    }
}
