package chorus.sim;

import chorus.server.protocol.ReplicaNode;
import java.util.LinkedHashSet;
import java.util.Set;

/** One replica's place in the simulated cluster: its disk, which outlives crashes, and its current process. */
final class SimReplica {

    final int id;
    final SimDisk disk = new SimDisk();
    /** The current process; dead after a crash until the next start. */
    Host host;
    /** Set once the process has recovered and serves calls (an RMI server exported after recovery). */
    ReplicaNode node;
    /** The current process's view of the disk. */
    SimStore store;
    int generation;
    /** Calls being served by the current process: a crash resets their connections. */
    final Set<SimNetwork.Exchange<?>> serving = new LinkedHashSet<>();
    /** Transactions counted from processes that have died. */
    long pastTransactions;

    SimReplica(int id) {
        this.id = id;
    }

    boolean up() {
        return host != null && host.alive && node != null;
    }
}
