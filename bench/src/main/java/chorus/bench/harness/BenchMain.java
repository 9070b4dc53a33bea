package chorus.bench.harness;

import chorus.api.config.Coordination;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code launch/bench}: the Chorus / ZooKeeper comparison, its quick smoke form, and the memory and restart check. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a fresh five-replica Chorus cluster and a fresh five-server ZooKeeper ensemble, runs the same "
                + "YCSB workloads (load, A, B, C, write-only at 1, 8 and 32 client threads) against each, measures the floor "
                + "(RMI round trip, synced write) and writes a Markdown report with a PNG chart.",
            "--runs N repeats the whole comparison N times and reports each ratio's spread over the runs.",
            "--memory instead loads 1,000,000 keys into Chorus and reports resident memory and restart time."})
public final class BenchMain implements Callable<Integer> {

    /** A guard against a mistyped count: twenty full runs take about five hours. */
    static final int MAX_RUNS = 20;

    @Option(names = "--quick", description = "Smoke run: few records, short runs (under 3 minutes); checks that both systems answer.")
    boolean quick;

    @Option(names = "--memory", description = "Memory and restart check instead of the comparison.")
    boolean memory;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "1", description = "Run the whole comparison N times (both "
            + "systems, fresh clusters and a fresh floor each time; default: ${DEFAULT-VALUE}). The report gives each "
            + "Chorus / ZooKeeper ratio's min / median / max over the runs and judges the targets by the median; its "
            + "other tables and the chart are the last run's.")
    int runs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report goes (default: docs for a full run, "
            + "WORK_DIR/report for --quick).")
    Path out;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "run/bench",
            description = "Data directories and server logs (emptied first, and between runs; default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--records", paramLabel = "N", description = "Records loaded (default: 10000; --quick 500; --memory 1000000).")
    Integer records;

    @Option(names = "--threads", paramLabel = "N,N,...", split = ",", description = "Client thread counts (default: 1,8,32).")
    List<Integer> threads;

    @Option(names = "--warmup-s", paramLabel = "S", description = "Unmeasured seconds before each run (default: 5; --quick 0.3).")
    Double warmupSeconds;

    @Option(names = "--measure-s", paramLabel = "S", description = "Measured seconds per run (default: 15; --quick 0.8).")
    Double measureSeconds;

    @Option(names = "--distribution", paramLabel = "D", defaultValue = "zipfian",
            description = "YCSB request distribution: zipfian, uniform or latest (default: ${DEFAULT-VALUE}).")
    String distribution;

    @Option(names = "--coordination", paramLabel = "MODE", defaultValue = "leader",
            description = "Which Chorus replica coordinates a write: leader (replica 1 coordinates every write; the "
                    + "default) or receiver (the replica a client calls); see docs/protocol.md.")
    String coordination;

    @Option(names = "--only", paramLabel = "SYSTEM", description = "Run one system only (chorus or zookeeper): figures "
            + "on stdout, no report. For profiling and before/after comparisons.")
    String only;

    @Option(names = "--baseline", paramLabel = "DIR", description = "With --only chorus: also start a Chorus cluster from "
            + "another built checkout (DIR/server/target: its jar and lib/) and run each workload and thread count on this "
            + "build and right after on that one, both clusters up throughout; prints Baseline lines beside the Chorus ones "
            + "and each pair's ratios (Chorus/Baseline). For before/after comparisons on a machine whose speed drifts.")
    Path baseline;

    @Option(names = "--profile", description = "Sample the servers' CPU over every measured window with async-profiler "
            + "(Linux x86-64): flame graphs, collapsed stacks and a summary per run under WORK_DIR/profile. Costs the servers "
            + "some CPU: take throughput figures from runs without it.")
    boolean profile;

    @Option(names = "--workloads", paramLabel = "W,W,...", split = ",", description = "Workloads to run: A, B, C, "
            + "write-only (default: all).")
    List<String> workloads;

    @Option(names = "--exclude", paramLabel = "N", defaultValue = "0", description = "Kill Chorus replica N and have the "
            + "others exclude it before the load, so that every write runs on the four members left (ZooKeeper still runs "
            + "five servers; compare with a run without it, e.g. --only chorus). Default: none.")
    int exclude;

    @Option(names = "--command", paramLabel = "TEXT", defaultValue = "launch/bench", hidden = true,
            description = "The command line named in the report.")
    String command;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = new CommandLine(new BenchMain());
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream progress = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        check();
        Coordination mode;
        try {
            mode = Coordination.parse(coordination);
        } catch (chorus.api.config.ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        List<Workload> chosen = List.of(Workload.values());
        if (workloads != null) {
            chosen = new java.util.ArrayList<>();
            for (String w : workloads) {
                Workload found = java.util.Arrays.stream(Workload.values()).filter(x -> x.label().equalsIgnoreCase(w)).findFirst()
                        .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                                "unknown workload '" + w + "'; choose from A, B, C, write-only"));
                chosen.add(found);
            }
        }
        Path work = workDir.toAbsolutePath();
        clean(work);
        if (memory) {
            Path dir = out == null ? Path.of("docs") : out;
            Files.createDirectories(dir);
            MemoryBench.Result r = MemoryBench.run(records == null ? 1_000_000 : records, 100, work, progress);
            MemoryBench.write(r, command, dir.resolve("benchmarks-memory.md"));
            progress.println("wrote " + dir.resolve("benchmarks-memory.md"));
            return 0;
        }
        BenchOptions base = quick ? BenchOptions.quick(work) : BenchOptions.full(work);
        BenchOptions options = new BenchOptions(records == null ? base.records() : records, base.valueBytes(),
                threads == null ? base.threads() : threads, base.loadThreads(),
                warmupSeconds == null ? base.warmup() : seconds(warmupSeconds),
                measureSeconds == null ? base.measure() : seconds(measureSeconds), chosen, base.floorRmiCalls(),
                base.floorSyncedWrites(), work, quick, distribution, mode, profile, exclude);
        if (only != null) {
            for (int i = 1; i <= runs; i++) {
                startRun(work, i, progress);
                Bench bench = new Bench(options, progress);
                if (baseline != null) {
                    bench.runAgainstBaseline(baselineClasspath(baseline));
                } else {
                    bench.runOnly(only.equals("chorus") ? Bench.CHORUS : Bench.ZOOKEEPER);
                }
            }
            return 0;
        }
        List<BenchResults> all = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            startRun(work, i, progress);
            all.add(new Bench(options, progress).run());
        }
        Path dir = out != null ? out : quick ? work.resolve("report") : Path.of("docs");
        Files.createDirectories(dir);
        // The default protocol's report is benchmarks.md; a run with one coordinator gets its own
        // files beside it, so that neither overwrites the other.
        String name = mode == Coordination.RECEIVER ? "benchmarks-receiver" : "benchmarks";
        Chart.write(all.get(all.size() - 1), dir.resolve(name + "-throughput.png"));
        Report.write(all, command, dir.resolve(name + ".md"), name + "-throughput.png");
        progress.println("wrote " + dir.resolve(name + ".md") + " and " + dir.resolve(name + "-throughput.png"));
        List<String> problems = Smoke.problems(all);
        problems.forEach(p -> progress.println("problem: " + p));
        return problems.isEmpty() ? 0 : 1;
    }

    /** The checks of the command line that need nothing started: a bad one fails before any work. */
    void check() {
        if (exclude < 0 || exclude > Bench.SERVERS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--exclude must name a replica, 1.." + Bench.SERVERS
                    + " (was " + exclude + ")");
        }
        if (quick && memory) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--quick and --memory exclude each other");
        }
        if (records != null && records < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--records must be at least 1");
        }
        if (threads != null && (threads.isEmpty() || threads.stream().anyMatch(t -> t == null || t < 1 || t > 1024))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads needs counts from 1 to 1024");
        }
        if ((warmupSeconds != null && warmupSeconds < 0) || (measureSeconds != null && measureSeconds <= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warmup-s must be >= 0 and --measure-s > 0");
        }
        if (!List.of("zipfian", "uniform", "latest").contains(distribution)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--distribution takes zipfian, uniform or latest");
        }
        if (only != null && !only.equals("chorus") && !only.equals("zookeeper")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--only takes chorus or zookeeper, not '" + only + "'");
        }
        if (profile && memory) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--profile goes with a comparison run, not --memory");
        }
        if (runs < 1 || runs > MAX_RUNS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs takes 1 to " + MAX_RUNS);
        }
        if (runs > 1 && memory) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs goes with a comparison run, not --memory");
        }
        if (runs > 1 && profile) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--profile goes with one run: profile one, and take "
                    + "the figures of several runs without it");
        }
        if (baseline != null && !"chorus".equals(only)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--baseline goes with --only chorus: it compares two "
                    + "builds of Chorus, not Chorus with ZooKeeper");
        }
        if (baseline != null && !Files.isRegularFile(baselineJar(baseline))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--baseline " + baseline + " holds no built server: "
                    + baselineJar(baseline) + " is missing (build that checkout first: mvn -B -q package -DskipTests, which leaves ~/.m2 alone)");
        }
        if (profile && ServerProfiler.unsupportedReason() != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), ServerProfiler.unsupportedReason());
        }
    }

    private static Path baselineJar(Path checkout) {
        return checkout.resolve("server").resolve("target").resolve("chorus-server.jar");
    }

    /** The baseline checkout's server jar and its libraries, as the launch scripts put them together. */
    public static String baselineClasspath(Path checkout) {
        Path jar = baselineJar(checkout).toAbsolutePath();
        return jar + java.io.File.pathSeparator + jar.resolveSibling("lib") + java.io.File.separator + "*";
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }

    /** Announces run {@code i} of several; from the second on, empties the data directories the one before left. */
    private void startRun(Path work, int i, PrintStream progress) throws IOException {
        if (runs > 1) {
            progress.printf(java.util.Locale.ROOT, "# run %d of %d%n", i, runs);
        }
        if (i > 1) {
            clean(work, List.of("chorus", "baseline", "zookeeper", "floor"));
        }
    }

    /** Empties the work directory of an earlier run (only the harness's own subdirectories). */
    private static void clean(Path work) throws IOException {
        clean(work, List.of("chorus", "baseline", "zookeeper", "floor", "memory", "profile"));
    }

    private static void clean(Path work, List<String> subdirectories) throws IOException {
        for (String sub : subdirectories) {
            Path p = work.resolve(sub);
            if (Files.exists(p)) {
                try (var walk = Files.walk(p)) {
                    for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
        Files.createDirectories(work);
    }
}
