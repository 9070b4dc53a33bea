package chorus.sim;

import chorus.api.model.View;
import chorus.chaos.History;
import chorus.server.protocol.ReplicaNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The faults of one lifetime, drawn from its seed: crashes (at a random moment, at a protocol
 * fault point, or just before or after a synced write), pauses, full disks (writes fail until
 * space returns, which the replica must find out by itself), and partitions one way or both
 * ways; each healed after a while, and all healed at the end.
 */
final class SimNemesis implements SimCluster.CrashChooser {

    /** The fault rates of one lifetime. */
    record Rates(long meanGapNanos, double pointCrash, int maxDown) {
    }

    private final Sim sim;
    private final History history;
    private final Rates rates;
    private final SplittableRandom random;
    private SimCluster cluster;
    private boolean active = true;
    private final Map<String, Integer> injected = new TreeMap<>();

    SimNemesis(Sim sim, History history, Rates rates) {
        this.sim = sim;
        this.history = history;
        this.rates = rates;
        this.random = sim.random.split();
    }

    void attach(SimCluster cluster) {
        this.cluster = cluster;
    }

    Map<String, Integer> injected() {
        return injected;
    }

    int faults() {
        return injected.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Starts injecting faults. */
    void start() {
        scheduleNext();
    }

    private void scheduleNext() {
        long gap = (long) (-Math.log(1 - random.nextDouble()) * rates.meanGapNanos());
        sim.after(gap, () -> {
            if (active) {
                inject();
                scheduleNext();
            }
        });
    }

    private int down() {
        int n = 0;
        for (int id : cluster.config.ids()) {
            if (!cluster.up(id) || cluster.paused(id)) {
                n++;
            }
        }
        return n;
    }

    private void inject() {
        List<Integer> ids = cluster.config.ids();
        int r = ids.get(random.nextInt(ids.size()));
        int dice = random.nextInt(100);
        if (dice < 30) {
            if (down() < rates.maxDown() && cluster.running(r)) {
                note("crash", "replica " + r);
                cluster.crash(r, "by the nemesis");
                restartLater(r);
            }
        } else if (dice < 50) {
            if (down() < rates.maxDown() && cluster.up(r) && !cluster.paused(r)) {
                note("pause", "replica " + r);
                cluster.pause(r);
                sim.after(10_000_000 + random.nextLong(2_000_000_000L), () -> cluster.resume(r));
            }
        } else if (dice < 55) {
            exclude(ids, r);
        } else if (dice < 58) {
            readmit(ids);
        } else if (dice < 60) {
            if (cluster.up(r) && !cluster.diskFull(r)) {
                note("disk full", "replica " + r);
                cluster.diskFull(r, true);
                sim.after(10_000_000 + random.nextLong(3_000_000_000L), () -> cluster.diskFull(r, false));
            }
        } else if (!cluster.network.anyCut()) {
            List<Integer> side = new ArrayList<>();
            for (int id : ids) {
                if (random.nextBoolean()) {
                    side.add(id);
                }
            }
            if (side.isEmpty() || side.size() == ids.size()) {
                return;
            }
            boolean oneWay = random.nextInt(4) == 0;
            for (int a : side) {
                for (int b : ids) {
                    if (!side.contains(b)) {
                        cluster.network.cut(a, b);
                        if (!oneWay) {
                            cluster.network.cut(b, a);
                        }
                    }
                }
            }
            note(oneWay ? "one-way partition" : "partition", side + (oneWay ? " cannot send to" : " | ") + " the others");
            sim.after(50_000_000 + random.nextLong(2_000_000_000L), () -> {
                cluster.network.healAll();
                sim.trace.line(sim.now(), "net", "partition healed");
            });
        }
    }

    /**
     * An operator's exclusion of a replica (a down one, mostly, as an operator would), proposed by a
     * random running replica; it may fail (no majority, a lease that outlasts the call), or race
     * another exclusion. Never below a majority of members: the proposer refuses that itself.
     */
    private void exclude(List<Integer> ids, int any) {
        View latest = cluster.views.latest();
        List<Integer> down = latest.members().stream().filter(id -> !cluster.up(id) || cluster.paused(id)).toList();
        int target = !down.isEmpty() && random.nextInt(4) > 0 ? down.get(random.nextInt(down.size())) : any;
        int proposer = ids.get(random.nextInt(ids.size()));
        if (!cluster.running(proposer) || cluster.replicas.get(proposer).node == null) {
            return;
        }
        ReplicaNode node = cluster.replicas.get(proposer).node;
        note("exclude", "replica " + target + ", proposed by replica " + proposer);
        sim.spawn(cluster.replicas.get(proposer).host, "exclude-" + target, () -> {
            try {
                View v = node.exclude(target);
                sim.trace.line(sim.now(), "nemesis", "exclusion of replica " + target + " agreed: " + v.text());
            } catch (Exception e) {
                sim.trace.line(sim.now(), "nemesis", "exclusion of replica " + target + " failed: " + e.getMessage());
            }
        });
    }

    /** An operator's readmission of an excluded replica that runs (it copies the data first, then asks). */
    private void readmit(List<Integer> ids) {
        View latest = cluster.views.latest();
        List<Integer> out = ids.stream().filter(id -> !latest.isMember(id) && cluster.running(id)
                && cluster.replicas.get(id).node != null).toList();
        if (out.isEmpty()) {
            return;
        }
        int target = out.get(random.nextInt(out.size()));
        note("readmit", "replica " + target);
        readmitOnce(target);
    }

    private void readmitOnce(int target) {
        ReplicaNode node = cluster.replicas.get(target).node;
        sim.spawn(cluster.replicas.get(target).host, "readmit-" + target, () -> {
            try {
                View v = node.readmit(target);
                sim.trace.line(sim.now(), "nemesis", "readmission of replica " + target + " agreed: " + v.text());
            } catch (Exception e) {
                sim.trace.line(sim.now(), "nemesis", "readmission of replica " + target + " failed: " + e.getMessage());
            }
        });
    }

    /** After healing: every excluded replica is asked to rejoin, again each settle round until it has. */
    void readmitAll() {
        View latest = cluster.views.latest();
        for (int id : cluster.config.ids()) {
            if (cluster.running(id) && cluster.replicas.get(id).node != null
                    && (!latest.isMember(id) || cluster.replicas.get(id).node.catchUp() != null)) {
                readmitOnce(id);
            }
        }
    }

    private void restartLater(int r) {
        sim.after(10_000_000 + random.nextLong(2_000_000_000L), () -> {
            if (!cluster.running(r)) {
                cluster.start(r);
            }
        });
    }

    @Override
    public boolean crashAt(SimReplica r, String where) {
        if (!active || random.nextDouble() >= rates.pointCrash() || down() >= rates.maxDown()) {
            return false;
        }
        note("crash at a point", "replica " + r.id + " at " + where);
        restartLater(r.id);
        return true;
    }

    private void note(String kind, String what) {
        injected.merge(kind, 1, Integer::sum);
        history.nemesis(kind, what);
        sim.trace.line(sim.now(), "nemesis", kind + ": " + what);
    }

    /** Stops the faults and heals everything: every replica running, resumed, reachable, no message lost any more. */
    void healAll() {
        active = false;
        cluster.network.calm();
        for (int id : cluster.config.ids()) {
            cluster.diskFull(id, false);
            cluster.resume(id);
            if (!cluster.running(id)) {
                cluster.start(id);
            }
        }
        sim.trace.line(sim.now(), "nemesis", "healed everything");
    }
}
