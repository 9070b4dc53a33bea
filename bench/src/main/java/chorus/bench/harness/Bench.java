package chorus.bench.harness;

import chorus.api.config.Timeouts;
import chorus.bench.ycsb.ChorusClient;
import chorus.bench.ycsb.ZooKeeperClient;
import chorus.server.ReplicaMain;
import chorus.server.testing.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.WorkloadException;

/**
 * The whole comparison: measures the floor, then starts a fresh five-replica Chorus cluster and a
 * fresh five-server ZooKeeper ensemble, loads each, and runs every workload at every thread count
 * on one system and then at once on the other. Only one system is under load at a time; the
 * other's servers idle meanwhile.
 *
 * <p>Why back to back and not one system's whole series after the other's: this machine's speed
 * moves within minutes (the same code's write at one thread took 2.3 ms of server CPU in one run
 * and 5.1 ms in the next, ZooKeeper's 1.6 and 1.4 ms), and a ratio of two figures taken five
 * minutes apart measured that as much as the systems. The idle servers cost the loaded ones a few
 * per cent of a core, alike for both.
 */
public final class Bench {

    public static final String CHORUS = "Chorus";
    /** Chorus run from another build's jars, beside this one (--baseline). */
    public static final String BASELINE = "Baseline";
    public static final String ZOOKEEPER = "ZooKeeper";
    public static final int SERVERS = 5;
    /** The longest wait for quiet servers before a load: a fresh JVM compiles for tens of seconds on two cores. */
    static final Duration QUIET_BEFORE_LOAD = Duration.ofSeconds(30);
    /** Before a measured run (its warm-up follows): what the previous run left to compile. */
    static final Duration QUIET_BEFORE_RUN = Duration.ofSeconds(10);
    /** Both systems' server JVMs get the options every launcher gives a replica. */
    public static final List<String> SERVER_JVM_OPTIONS = ReplicaMain.JVM_OPTIONS;

    private final BenchOptions options;
    private final PrintStream progress;
    /** Samples the servers over every measured window ({@code --profile}); null when not asked for. */
    private final ServerProfiler profiler;

    public Bench(BenchOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        this.profiler = options.profile() ? ServerProfiler.into(options.workDir().resolve("profile"), progress) : null;
    }

    public BenchResults run() throws IOException, InterruptedException, WorkloadException, DBException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        String loadBefore = Machine.loadAverages();
        progress.printf(Locale.ROOT, "# load average %s; measuring the floor%n", loadBefore);
        // A PREPARE round syncs at every replica, the coordinator included (parallel commit).
        Floor.Result floor = Floor.measure(options.workDir().resolve("floor"), options.floorRmiCalls(), options.floorSyncedWrites(),
                SERVERS);
        progress.printf(Locale.ROOT, "floor rmi_rtt_p50_ms=%.3f synced_write_p50_ms=%.3f slowest_of_%d_concurrent_synced_writes_p50_ms=%.3f "
                        + "floor_ms=%.3f protocol_bound_ms=%.3f%n", floor.rmiMillis(), floor.syncMillis(), floor.concurrentWriters(),
                floor.concurrentSyncMillis(), floor.floorMillis(), floor.protocolBoundMillis(options.coordination()));
        List<SystemResults> both = runBoth();
        return new BenchResults(options, floor, both.get(0), both.get(1), started, (System.nanoTime() - t0) / 1e9, loadBefore,
                Machine.loadAverages());
    }

    /** One system only, figures on the progress stream: for profiling and before/after comparisons. */
    public SystemResults runOnly(String system) throws IOException, InterruptedException, WorkloadException, DBException {
        progress.printf(Locale.ROOT, "# load average %s%n", Machine.loadAverages());
        return system.equals(CHORUS) ? runChorus() : runZooKeeper();
    }

    /**
     * This build's Chorus and a baseline build's ({@code classpath}: its server jar and libraries),
     * both up for the whole comparison, each workload and thread count run on this build and right
     * after on the baseline; figures on the progress stream, then each pair's ratios. Back to back,
     * for the reason the full comparison is: on this machine a figure compares only with one taken
     * a minute later. Returns [this build, baseline].
     */
    public List<SystemResults> runAgainstBaseline(String classpath) throws InterruptedException, WorkloadException, DBException {
        progress.printf(Locale.ROOT, "# load average %s%n", Machine.loadAverages());
        List<SystemResults> both;
        try (LocalCluster cluster = startChorus(); LocalCluster baseline = startBaseline(classpath)) {
            both = runSides(List.of(chorus(cluster), chorus(baseline, BASELINE)));
        } finally {
            afterServersStopped();
        }
        // Both sides ran the same sequence (a thread count may come twice): pair the runs by position.
        for (int i = 0; i < both.get(0).runs().size(); i++) {
            RunResult r = both.get(0).runs().get(i);
            RunResult b = both.get(1).runs().get(i);
            progress.printf(Locale.ROOT, "%s/%s %s threads=%d ops_per_s=%.3f server_cpu_ms_per_op=%.3f%n", CHORUS, BASELINE,
                    r.workload(), r.threads(), r.throughput() / b.throughput(), r.serverCpuMillisPerOp() / b.serverCpuMillisPerOp());
        }
        return both;
    }

    /** The YCSB properties both systems share. */
    Properties baseProperties() {
        Properties p = new Properties();
        p.setProperty("recordcount", String.valueOf(options.records()));
        p.setProperty("operationcount", String.valueOf(Integer.MAX_VALUE));
        p.setProperty("fieldcount", "1");
        p.setProperty("fieldlength", String.valueOf(options.valueBytes()));
        p.setProperty("readallfields", "true");
        p.setProperty("writeallfields", "true");
        p.setProperty("requestdistribution", options.distribution());
        p.setProperty("table", "usertable");
        return p;
    }

    /** One system's servers, ready for the workloads: its client bindings, their properties and its probe. */
    private record Side(String system, Supplier<DB> bindings, Properties properties, ServerProbe servers) {
    }

    private LocalCluster startChorus() {
        progress.printf(Locale.ROOT, "# starting %d Chorus replicas%n", SERVERS);
        return LocalCluster.start(SERVERS, options.workDir().resolve("chorus"), Timeouts.DEFAULTS, options.coordination(),
                replicaJvm(options, null));
    }

    private LocalCluster startBaseline(String classpath) {
        progress.printf(Locale.ROOT, "# starting %d Chorus replicas of the baseline build (%s)%n", SERVERS, classpath);
        return LocalCluster.start(SERVERS, options.workDir().resolve("baseline"), Timeouts.DEFAULTS, options.coordination(),
                replicaJvm(options, classpath));
    }

    /**
     * How the replicas' JVMs start: with the full JIT, as launch/cluster runs them, for every run
     * whose figures count; a quick run, a smoke test of the harness, compiles with C1 only like the
     * test suite's replicas (a third less CPU to start, and the suite starts its clusters on two cores).
     * {@code classpath}: another build's jars, or null for this build's.
     */
    static LocalCluster.Jvm replicaJvm(BenchOptions options, String classpath) {
        LocalCluster.Jvm jvm = options.quick() ? LocalCluster.Jvm.forTests() : LocalCluster.Jvm.forBenchmarks();
        return classpath == null ? jvm : jvm.withClasspath(classpath);
    }

    private Side chorus(LocalCluster cluster) throws InterruptedException {
        return chorus(cluster, CHORUS);
    }

    private Side chorus(LocalCluster cluster, String name) throws InterruptedException {
        Properties p = baseProperties();
        p.setProperty(ChorusClient.CONFIG_PROPERTY, cluster.configFile().toString());
        int out = options.exclude();
        if (out > 0) {
            exclude(cluster, out);
            p.setProperty(ChorusClient.AVOID_PROPERTY, String.valueOf(out));
        }
        List<Long> pids = new ArrayList<>();
        List<Integer> running = new ArrayList<>();
        for (int id = 1; id <= SERVERS; id++) {
            if (id != out) {
                pids.add(cluster.pid(id));
                running.add(id);
            }
        }
        return new Side(name, ChorusClient::new, p,
                ServerProbe.withTransactions(pids, () -> committedTransactions(cluster, running)).profiledBy(profiler));
    }

    private ZooKeeperEnsemble startZooKeeper() throws IOException, InterruptedException {
        progress.printf(Locale.ROOT, "# starting %d ZooKeeper servers%n", SERVERS);
        return ZooKeeperEnsemble.start(SERVERS, options.workDir().resolve("zookeeper"), SERVER_JVM_OPTIONS);
    }

    private Side zooKeeper(ZooKeeperEnsemble zk) {
        Properties p = baseProperties();
        p.setProperty(ZooKeeperClient.SERVERS_PROPERTY, zk.servers());
        return new Side(ZOOKEEPER, ZooKeeperClient::new, p, ServerProbe.processes(zk.pids()).profiledBy(profiler));
    }

    private SystemResults runChorus() throws InterruptedException, WorkloadException, DBException {
        try (LocalCluster cluster = startChorus()) {
            return runSides(List.of(chorus(cluster))).get(0);
        } finally {
            afterServersStopped();
        }
    }

    private SystemResults runZooKeeper() throws IOException, InterruptedException, WorkloadException, DBException {
        try (ZooKeeperEnsemble zk = startZooKeeper()) {
            return runSides(List.of(zooKeeper(zk))).get(0);
        } finally {
            afterServersStopped();
        }
    }

    /** Both systems up and loaded, then each workload and thread count on Chorus and at once on ZooKeeper: [Chorus, ZooKeeper]. */
    private List<SystemResults> runBoth() throws IOException, InterruptedException, WorkloadException, DBException {
        try (LocalCluster cluster = startChorus(); ZooKeeperEnsemble zk = startZooKeeper()) {
            return runSides(List.of(chorus(cluster), zooKeeper(zk)));
        } finally {
            afterServersStopped();
        }
    }

    /** The servers are killed at the end of a system's runs: what the profiler's attach left of them goes too. */
    private void afterServersStopped() {
        if (profiler != null) {
            profiler.removeStaleAttachSockets();
        }
    }

    /** Transactions the running replicas have committed as coordinators since they started; UNKNOWN if one does not answer. */
    private static long committedTransactions(LocalCluster cluster, List<Integer> running) {
        long sum = 0;
        for (int id : running) {
            try {
                sum += cluster.status(id).commits();
            } catch (RuntimeException e) {
                return ServerProbe.UNKNOWN;
            }
        }
        return sum;
    }

    /**
     * Kills replica {@code out} and has the lowest other replica exclude it: the shape of a cluster
     * running on with a replica down. The exclusion waits for the killed replica's read lease.
     */
    private void exclude(LocalCluster cluster, int out) throws InterruptedException {
        int proposer = out == 1 ? 2 : 1;
        cluster.kill(out);
        long t0 = System.nanoTime();
        long deadline = t0 + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                chorus.api.model.View view = cluster.connection(proposer).admin().exclude(out);
                progress.printf(Locale.ROOT, "# replica %d killed and excluded by replica %d in %d ms: %s; the clients use the others%n",
                        out, proposer, (System.nanoTime() - t0) / 1_000_000, view.text());
                return;
            } catch (chorus.api.ChorusException | java.rmi.RemoteException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("could not exclude replica " + out + " within 60 s: " + e.getMessage(), e);
                }
                progress.printf(Locale.ROOT, "# exclusion of replica %d not agreed yet (%s); asking again%n", out, e.getMessage());
            }
        }
    }

    /** Loads each side, then runs every workload at every thread count on each side in turn; results in the sides' order. */
    private List<SystemResults> runSides(List<Side> sides) throws InterruptedException, WorkloadException, DBException {
        // A quick run is a smoke test of the harness, not a comparison: it does not wait.
        QuietServers quiet = options.quick() ? QuietServers.NONE
                : new QuietServers(sides.stream().flatMap(s -> s.servers().pids().stream()).toList(), progress);
        List<RunResult> loads = new ArrayList<>();
        List<List<RunResult>> runs = new ArrayList<>();
        for (Side side : sides) {
            quiet.await(QUIET_BEFORE_LOAD, "loading " + side.system());
            loads.add(load(side));
            runs.add(new ArrayList<>());
        }
        for (Workload w : options.workloads()) {
            for (int threads : options.threads()) {
                for (int i = 0; i < sides.size(); i++) {
                    quiet.await(QUIET_BEFORE_RUN, sides.get(i).system() + " " + w.label() + " at " + threads + " threads");
                    runs.get(i).add(run(sides.get(i), w, threads));
                }
            }
        }
        List<SystemResults> results = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            results.add(finish(sides.get(i), loads.get(i), runs.get(i)));
        }
        return results;
    }

    private RunResult load(Side side) throws InterruptedException, WorkloadException, DBException {
        Properties loading = new Properties();
        loading.putAll(side.properties());
        // A cold cluster on a busy machine can miss a vote timeout on its first writes: retry an
        // insert a few times (both systems alike) so that every record is there for the runs.
        loading.setProperty("core_workload_insertion_retry_limit", "5");
        loading.setProperty("core_workload_insertion_retry_interval", "1");
        RunResult load = WorkloadRunner.load(side.system(), side.bindings(), loading, options.loadThreads(), side.servers());
        report(load);
        return load;
    }

    private RunResult run(Side side, Workload w, int threads) throws InterruptedException, WorkloadException, DBException {
        RunResult r = WorkloadRunner.run(side.system(), w.label(), side.bindings(), w.properties(side.properties()), threads,
                options.warmup().toNanos(), options.measure().toNanos(), side.servers());
        report(r);
        return r;
    }

    /** The system's results, with its servers' resident memory after its runs. */
    private SystemResults finish(Side side, RunResult load, List<RunResult> runs) {
        Map<Integer, Double> rss = new TreeMap<>();
        List<Long> pids = side.servers().pids();
        for (int i = 0; i < pids.size(); i++) {
            int id = i + 1;
            Machine.residentMB(pids.get(i)).ifPresent(mib -> rss.put(id, mib));
        }
        progress.printf(Locale.ROOT, "%s resident_mb %s%n", side.system(), rss);
        return new SystemResults(side.system(), load, runs, rss);
    }

    private void report(RunResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s %s threads=%d ops=%d errors=%d ops_per_s=%.0f server_cpu_ms_per_op=%.3f load=%.2f",
                r.system(), r.workload(), r.threads(), r.operations(), r.errorCount(), r.throughput(), r.serverCpuMillisPerOp(),
                r.loadAverage()));
        if (r.transactions() > 0) {
            sb.append(String.format(Locale.ROOT, " transactions=%d writes_per_tx=%.2f server_cpu_ms_per_tx=%.3f", r.transactions(),
                    r.writesPerTransaction(), r.serverCpuMillisPerTransaction()));
        }
        r.latencies().forEach((op, h) -> sb.append(String.format(Locale.ROOT, " %s_p50/p99/p99.9_ms=%.2f/%.2f/%.2f", op,
                r.millis(op, 50), r.millis(op, 99), r.millis(op, 99.9))));
        progress.println(sb);
        if (r.firstError() != null) {
            progress.println("  first error: " + r.firstError());
        }
    }

}
