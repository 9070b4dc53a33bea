package chorus.sim;

import chorus.server.protocol.ReplicaStore;
import chorus.server.protocol.ReplicaStoreContract;
import org.junit.jupiter.api.AfterEach;

class SimStoreContractTest extends ReplicaStoreContract {

    private final Sim sim = new Sim(7, new Trace(100));
    private final Host host = new Host("r1", 1, 0);

    @Override
    protected ReplicaStore create() {
        return new SimStore(new SimDisk(), host, new SimScheduler(sim, host), true);
    }

    @AfterEach
    void closeSim() {
        sim.close();
    }
}
