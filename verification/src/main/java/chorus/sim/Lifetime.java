package chorus.sim;

import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.Timeouts;
import chorus.chaos.Anomaly;
import chorus.chaos.History;
import chorus.chaos.HistoryChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One seeded lifetime of a five-replica cluster: clients and faults for a number of simulated
 * steps, then every fault healed and time to settle, then the checks of {@code launch/chaos}
 * (linearizability key by key, no acknowledged write lost, no aborted write visible, replicas
 * identical) and nothing left in doubt, locked or owed. The seed decides everything: the cluster's
 * setup, the clients' operations, every delay, loss, fault and thread interleaving.
 */
public final class Lifetime {

    /** What one lifetime did and found. */
    public record Outcome(long seed, String setup, List<String> anomalies, long transactions, int operations, int faults,
                          long steps, long simulatedNanos, long wallNanos, long digest, long traceLines, List<String> trace) {
        public boolean ok() {
            return anomalies.isEmpty();
        }
    }

    private static final long LINEARIZABILITY_BUDGET = 500_000;
    /** Settle periods granted after healing before anything still in doubt, locked or owed counts as left forever. */
    private static final int SETTLE_ROUNDS = 10;
    /** The faulty phase ends after this much simulated time even if the steps are not used up. */
    private static final long MAX_FAULT_PHASE_NANOS = 120_000_000_000L;

    static {
        SimCluster.observePoints();
    }

    private Lifetime() {
    }

    /**
     * Short timeouts, drawn from the seed, that slow messages (up to 200 ms) and pauses often
     * outlast: more votes, acknowledgements and decisions time out, and more transactions go
     * through termination and doubt, than with the defaults.
     */
    static Timeouts tight(java.util.random.RandomGenerator random) {
        long vote = 200 + random.nextLong(800);
        long ack = 100 + random.nextLong(500);
        return new Timeouts(Duration.ofMillis(1000), Duration.ofMillis(vote + ack + 500 + random.nextLong(3000)), Duration.ofMillis(vote),
                Duration.ofMillis(ack), Duration.ofMillis(200 + random.nextLong(1500)), Duration.ofMillis(300 + random.nextLong(2000)),
                Duration.ofMillis(50 + random.nextLong(vote - 60)), Duration.ofMillis(1 + random.nextLong(5)),
                Duration.ofMillis(100 + random.nextLong(900)), 20);
    }

    private static String describe(Timeouts t) {
        return String.format("vote %d, ack %d, prepared %d, read %d, read-wait %d, lock-wait %d, resolve %d ms", t.vote().toMillis(),
                t.ack().toMillis(), t.prepared().toMillis(), t.read().toMillis(), t.readWait().toMillis(), t.lockWait().toMillis(),
                t.resolveInterval().toMillis());
    }

    public static Outcome run(long seed, long steps, int traceLines) {
        return run(seed, steps, traceLines, Bugs.NONE);
    }

    static Outcome run(long seed, long steps, int traceLines, Bugs bugs) {
        long wall = System.nanoTime();
        Trace trace = new Trace(traceLines);
        Sim sim = new Sim(seed, trace);
        List<String> anomalies = new ArrayList<>();
        String setup = "";
        long transactions = 0;
        int operations = 0;
        int faults = 0;
        try {
            var random = sim.random;
            // Both modes, half each: leader coordination is the default, receiver coordination stays an option.
            Coordination coordination = random.nextBoolean() ? Coordination.LEADER : Coordination.RECEIVER;
            int clients = 2 + random.nextInt(5);
            List<String> keys = new ArrayList<>();
            for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) {
                keys.add("k" + i);
            }
            SimNetwork.Weather weather = new SimNetwork.Weather(random.nextDouble() * 0.003, random.nextDouble() * 0.05,
                    random.nextDouble() * 0.02, 20_000 + random.nextLong(200_000));
            SimNemesis.Rates rates = new SimNemesis.Rates(1_500_000_000 + random.nextLong(4_500_000_000L),
                    0.0005 + random.nextDouble() * 0.01, 1 + random.nextInt(2));
            Timeouts timeouts = random.nextBoolean() ? Timeouts.DEFAULTS : tight(random);
            // Two lifetimes in three let COMMITs wait for a PREPARE to carry them.
            java.time.Duration rideWait = java.time.Duration.ofMillis(random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(5));
            // Leases from half a second to the default three: short ones let more exclusions through
            // within a lifetime (an exclusion waits for the excluded replica's lease to run out).
            java.time.Duration lease = java.time.Duration.ofMillis(500 + random.nextLong(2501));
            // Automatic membership in half the lifetimes: every silence (a crash, a partition, a lossy
            // spell) may then exclude a member, and every excluded replica readmits itself.
            java.time.Duration autoExclude = random.nextBoolean() ? java.time.Duration.ZERO
                    : lease.dividedBy(2).plusMillis(random.nextLong(3000));
            ClusterConfig config = ClusterConfig.localhost(5, 7101, timeouts).withCoordination(coordination)
                    .withDecisionRideWait(rideWait)
                    .withMembership(chorus.api.config.MembershipSettings.DEFAULTS.withLease(lease, lease.dividedBy(10))
                            .withAutoExcludeAfter(autoExclude));
            setup = String.format("coordination=%s ride-wait=%d ms lease=%d ms auto-exclude=%d ms clients=%d keys=%d loss=%.3f dup=%.3f slow=%.3f fault-gap=%d ms "
                            + "point-crash=%.4f max-down=%d timeouts=%s", coordination.name().toLowerCase(), rideWait.toMillis(),
                    lease.toMillis(), autoExclude.toMillis(), clients, keys.size(),
                    weather.loss(), weather.duplication(), weather.slow(), rates.meanGapNanos() / 1_000_000, rates.pointCrash(),
                    rates.maxDown(), timeouts == Timeouts.DEFAULTS ? "default" : describe(timeouts));
            trace.line(0, "sim", "seed " + seed + ": " + setup);

            History history = new History(sim::now);
            SimNemesis nemesis = new SimNemesis(sim, history, rates);
            SimCluster cluster = new SimCluster(sim, config, weather, nemesis, bugs);
            nemesis.attach(cluster);
            for (int id : config.ids()) {
                cluster.start(id);
            }
            boolean[] stop = {false};
            Host clientHost = new Host("client", SimNetwork.CLIENTS, 0);
            List<SimClient> all = new ArrayList<>();
            for (int c = 1; c <= clients; c++) {
                SimClient client = new SimClient(c, sim, clientHost, cluster, history, keys, () -> stop[0]);
                all.add(client);
                sim.spawn(clientHost, "client-" + c, client);
            }
            nemesis.start();
            while (sim.steps() < steps && sim.now() < MAX_FAULT_PHASE_NANOS) {
                sim.runUntil(sim.now() + 10_000_000);
            }
            stop[0] = true;
            nemesis.healAll();
            // Settle: what is left in doubt, locked or owed must go, however long it takes (simulated
            // time is free); only what stays through all the rounds is an anomaly ("forever").
            for (int round = 0; round == 0 || round < SETTLE_ROUNDS && !cluster.leftovers().isEmpty(); round++) {
                nemesis.readmitAll();
                sim.runUntil(sim.now() + SimCluster.settle(config).toNanos());
            }
            for (SimClient c : all) {
                operations += c.operations();
            }
            transactions = cluster.transactions();
            faults = nemesis.faults();
            for (String left : cluster.leftovers()) {
                anomalies.add("left after healing: " + left);
            }
            List<History.Op> ops = history.ops();
            HistoryChecks checks = new HistoryChecks(ops, keys, LINEARIZABILITY_BUDGET);
            // Every replica was readmitted while the cluster settled (or is reported left out above).
            Map<Integer, Map<String, chorus.api.model.KeyEntry>> finals = cluster.contents();
            finals.keySet().retainAll(cluster.views.latest().members());
            for (String v : cluster.views.anomalies()) {
                anomalies.add(v);
            }
            List<Anomaly> found = new ArrayList<>(checks.linearizability());
            found.addAll(checks.durabilityAndAtomicity(finals));
            found.addAll(HistoryChecks.identical(finals));
            for (Anomaly a : found) {
                anomalies.add(a.toString());
            }
            for (String u : sim.uncaught()) {
                anomalies.add("exception escaped a thread: " + u);
            }
            cluster.closing = true;
            for (SimReplica r : cluster.replicas.values()) {
                if (r.host != null) {
                    sim.kill(r.host);
                }
            }
            sim.kill(clientHost);
            sim.runUntil(Long.MAX_VALUE);
        } catch (Sim.SimulationStuck e) {
            anomalies.add("stuck: " + e.getMessage());
        } finally {
            sim.close();
        }
        return new Outcome(seed, setup, anomalies, transactions, operations, faults, sim.steps(), sim.now(),
                System.nanoTime() - wall, trace.digest(), trace.lines(), trace.tail());
    }
}
