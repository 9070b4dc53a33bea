package chorus.sim;

import chorus.api.config.ClusterConfig;
import chorus.api.model.KeyEntry;
import chorus.server.protocol.FaultPoint;
import chorus.server.protocol.ReplicaNode;
import chorus.server.protocol.StoredValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicas of one simulated lifetime: the real {@link ReplicaNode} over a {@link SimStore},
 * the {@link SimNetwork} and a {@link SimScheduler}, started, crashed (with their disks torn),
 * restarted, paused and resumed on the seed's say.
 */
final class SimCluster {

    /** What decides, at each place a replica may crash, whether it crashes there. */
    interface CrashChooser {
        boolean crashAt(SimReplica r, String where);
    }

    final ClusterConfig config;
    final Map<Integer, SimReplica> replicas = new LinkedHashMap<>();
    final SimNetwork network;
    /** Every view any replica knew agreed: one view per epoch. */
    final ViewRecord views = new ViewRecord();
    private final Sim sim;
    private final CrashChooser chooser;
    private final Bugs bugs;
    /** Set for the teardown: no process starts any more. */
    boolean closing;

    SimCluster(Sim sim, ClusterConfig config, SimNetwork.Weather weather, CrashChooser chooser, Bugs bugs) {
        this.sim = sim;
        this.bugs = bugs;
        this.config = config;
        this.chooser = chooser;
        for (int id : config.ids()) {
            replicas.put(id, new SimReplica(id));
        }
        this.network = new SimNetwork(sim, replicas, weather);
    }

    /** Starts a new process of replica {@code id} over its disk; it serves once recovered. */
    void start(int id) {
        SimReplica r = replicas.get(id);
        if (closing || r.host != null && r.host.alive) {
            return;
        }
        if (r.disk.full()) {
            // A replica cannot start on a full disk (its first write, the incarnation, fails and it
            // exits naming the disk); its operator starts it again once there is space.
            sim.trace.line(sim.now(), "r" + id, "cannot start: disk full; starting again in 100 ms");
            sim.after(100_000_000, () -> start(id));
            return;
        }
        r.generation++;
        // Clocks of different machines differ by up to 50 ms.
        Host host = new Host("r" + id + (r.generation > 1 ? "." + r.generation : ""), id, sim.random.nextLong(50_000_000));
        host.crashPoints = where -> {
            if (chooser.crashAt(r, where)) {
                crashHere(r, where);
            }
        };
        r.host = host;
        r.node = null;
        SimScheduler scheduler = new SimScheduler(sim, host);
        SimStore store = new SimStore(r.disk, host, scheduler, bugs.syncPrepares(), bugs.syncOwnPrepares());
        r.store = store;
        store.onHealthChange(h -> sim.trace.line(sim.now(), host.name,
                h.writable() ? "storage writable again" : "storage " + h.note()));
        sim.trace.line(sim.now(), host.name, "starts");
        sim.spawn(host, "main", () -> {
            ReplicaNode node = new ReplicaNode(id, config, store, bugs.channel(network.channelFor(id, config.timeouts().read())),
                    scheduler, 1_000);
            views.saw(id, node.membership().current());
            node.membership().onChange(v -> views.saw(id, v));
            node.start();
            r.node = node;
            sim.trace.line(sim.now(), host.name, "recovered: " + node.status().keyCount() + " keys, " + node.inDoubt().size()
                    + " in doubt, " + node.undeliveredDecisions() + " decisions to deliver");
        });
    }

    /** A client's GET at replica {@code r}'s process. */
    chorus.api.model.ReadResult read(SimReplica r, ReplicaNode node, String key) throws Exception {
        return bugs.read(node, r.store, key);
    }

    boolean up(int id) {
        return replicas.get(id).up();
    }

    boolean running(int id) {
        SimReplica r = replicas.get(id);
        return r.host != null && r.host.alive;
    }

    /** Kills replica {@code id}'s process at once (as kill -9 or a power loss would); its disk keeps what it synced. */
    void crash(int id, String why) {
        SimReplica r = replicas.get(id);
        if (r.host == null || !r.host.alive) {
            return;
        }
        if (r.node != null) {
            r.pastTransactions += transactions(r.node);
        }
        sim.kill(r.host);
        String disk = r.disk.crash(sim.random);
        sim.trace.line(sim.now(), r.host.name, "CRASH " + why + "; disk " + disk);
        r.node = null;
        network.reset(r);
    }

    /** A crash decided at a place the running thread of {@code r} just reached: it dies there. */
    private void crashHere(SimReplica r, String where) {
        crash(r.id, "at " + where);
        throw new SimCrash(r.host + " crashed at " + where);
    }

    /** Space on replica {@code id}'s disk runs out ({@code true}) or returns; its process is not told. */
    void diskFull(int id, boolean full) {
        SimReplica r = replicas.get(id);
        if (r.disk.full() != full) {
            r.disk.setFull(full);
            sim.trace.line(sim.now(), "r" + id, full ? "DISK FULL" : "disk has space again");
        }
    }

    boolean diskFull(int id) {
        return replicas.get(id).disk.full();
    }

    void pause(int id) {
        SimReplica r = replicas.get(id);
        if (r.host != null && r.host.alive && !r.host.paused) {
            sim.trace.line(sim.now(), r.host.name, "PAUSED");
            sim.pause(r.host);
        }
    }

    void resume(int id) {
        SimReplica r = replicas.get(id);
        if (r.host != null && r.host.paused) {
            sim.trace.line(sim.now(), r.host.name, "RESUMED");
            sim.resume(r.host);
        }
    }

    boolean paused(int id) {
        SimReplica r = replicas.get(id);
        return r.host != null && r.host.paused;
    }

    /** Transactions coordinated so far by every process of every replica. */
    long transactions() {
        long n = 0;
        for (SimReplica r : replicas.values()) {
            n += r.pastTransactions + (r.node == null ? 0 : transactions(r.node));
        }
        return n;
    }

    private static long transactions(ReplicaNode node) {
        return node.status().commits() + node.status().aborts();
    }

    /** Each replica's contents as its disk holds them now (tombstones included, as versions). */
    Map<Integer, Map<String, KeyEntry>> contents() {
        Map<Integer, Map<String, KeyEntry>> out = new TreeMap<>();
        for (SimReplica r : replicas.values()) {
            Map<String, KeyEntry> keys = new TreeMap<>();
            for (Map.Entry<String, StoredValue> e : r.disk.data().entrySet()) {
                keys.put(e.getKey(), new KeyEntry(e.getKey(), e.getValue().value(), e.getValue().version(), null));
            }
            out.put(r.id, keys);
        }
        return out;
    }

    /** What each replica still holds in flight: nothing, once the cluster has settled. */
    List<String> leftovers() {
        List<String> out = new java.util.ArrayList<>();
        for (SimReplica r : replicas.values()) {
            if (!r.up()) {
                out.add("replica " + r.id + " is not up");
                continue;
            }
            ReplicaNode n = r.node;
            if (!views.latest().isMember(r.id)) {
                out.add("replica " + r.id + " is still excluded from " + views.latest().text());
            } else if (n.catchUp() != null) {
                out.add("replica " + r.id + " has not finished its catch-up: " + n.catchUp().describe());
            }
            if (!n.inDoubt().isEmpty()) {
                out.add("replica " + r.id + " holds " + n.inDoubt().size() + " transactions in doubt or overdue: "
                        + n.inDoubt().stream().map(t -> t.txId().toString()).toList());
            }
            if (n.lockedKeys() > 0) {
                out.add("replica " + r.id + " still holds locks on " + n.lockedKeys() + " keys");
            }
            if (n.undeliveredDecisions() > 0) {
                out.add("replica " + r.id + " still owes " + n.undeliveredDecisions() + " decisions");
            }
            // Space came back when the nemesis healed everything: the replica must have found out itself.
            String storage = n.status().storageProblem();
            if (!storage.isEmpty()) {
                out.add("replica " + r.id + " still reports '" + storage + "' although its disk has space");
            }
        }
        return out;
    }

    static Duration settle(ClusterConfig config) {
        return config.timeouts().prepared().plus(config.timeouts().resolveInterval().multipliedBy(10))
                .plus(config.timeouts().read().multipliedBy(2));
    }

    static void observePoints() {
        FaultPoint.observe((point, replica, tx) -> {
            SimThread t = SimThread.currentOrNull();
            if (t != null && t.host.replica == replica) {
                t.host.passed(point.id() + " (" + tx + ")");
            }
        });
    }
}
