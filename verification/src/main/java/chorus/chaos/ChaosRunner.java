package chorus.chaos;

import chorus.api.config.Coordination;
import chorus.api.config.MembershipSettings;
import chorus.api.config.Timeouts;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.KeyEntry;
import chorus.api.model.MembershipStatus;
import chorus.api.model.ReadResult;
import chorus.api.model.ReplicaDiagnostics;
import chorus.api.rmi.ReplicaConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A Jepsen-style run: five replica processes, concurrent clients on a small key set, a nemesis
 * injecting faults from a seeded schedule; then heal, wait for recovery and check the history and
 * the replicas. See docs/chaos.md.
 */
public final class ChaosRunner {

    /** Short timeouts so that faults resolve within seconds; long enough for a busy 2-core machine. */
    public static final Timeouts TIMEOUTS = new Timeouts(Duration.ofMillis(1000), Duration.ofMillis(8000),
            Duration.ofMillis(1500), Duration.ofMillis(800), Duration.ofMillis(2000), Duration.ofMillis(3000),
            Duration.ofMillis(700), Duration.ofMillis(2), Duration.ofMillis(500), 200);

    /**
     * Read leases short enough that an exclusion (which waits out the victim's lease) fits a chaos
     * run's faults of a few seconds; renewed every quarter, 250 ms. One machine, one clock: the
     * margin for clocks drifting apart can be small.
     */
    public static final Duration LEASE = Duration.ofMillis(1000);
    public static final Duration LEASE_MARGIN = Duration.ofMillis(100);
    /**
     * Automatic exclusion by default after 1.5 s of silence: the faults of a few seconds then exclude
     * their victims, and writes go on without them, as in production with the shipped 3 s.
     */
    public static final Duration AUTO_EXCLUDE_AFTER = Duration.ofMillis(1500);

    /** Everything a run is told. {@code autoExcludeAfter} zero: automatic membership off, the nemesis' changes only. */
    public record Options(Duration duration, int clients, long seed, int keys, int replicas, Path workDir,
                          Duration recoveryPatience, long searchBudget, Coordination coordination, Duration autoExcludeAfter) {

        /** With the default coordination: each write coordinated by the replica its client called. */
        public Options(Duration duration, int clients, long seed, int keys, int replicas, Path workDir,
                       Duration recoveryPatience, long searchBudget) {
            this(duration, clients, seed, keys, replicas, workDir, recoveryPatience, searchBudget, Coordination.RECEIVER);
        }

        /** With automatic membership on, after {@link #AUTO_EXCLUDE_AFTER}. */
        public Options(Duration duration, int clients, long seed, int keys, int replicas, Path workDir,
                       Duration recoveryPatience, long searchBudget, Coordination coordination) {
            this(duration, clients, seed, keys, replicas, workDir, recoveryPatience, searchBudget, coordination, AUTO_EXCLUDE_AFTER);
        }

        public Options {
            if (coordination == null) {
                coordination = Coordination.RECEIVER;
            }
            if (autoExcludeAfter == null) {
                autoExcludeAfter = AUTO_EXCLUDE_AFTER;
            }
            if (autoExcludeAfter.isNegative() || !autoExcludeAfter.isZero() && autoExcludeAfter.compareTo(LEASE.dividedBy(2)) < 0) {
                // The replicas hear from each other every quarter lease: a shorter silence says nothing.
                throw new IllegalArgumentException("auto-exclude-ms must be 0 (off) or at least " + LEASE.dividedBy(2).toMillis()
                        + " (half the chaos run's read lease of " + LEASE.toMillis() + " ms), was " + autoExcludeAfter.toMillis());
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive, was " + duration.toSeconds() + " s");
            }
            if (clients < 1 || clients > 200) {
                throw new IllegalArgumentException("clients must be 1..200, was " + clients);
            }
            if (keys < 1 || keys > 100) {
                throw new IllegalArgumentException("keys must be 1..100, was " + keys);
            }
            if (replicas < 2 || replicas > 9) {
                throw new IllegalArgumentException("replicas must be 2..9, was " + replicas);
            }
        }

        /** The cluster's membership settings: the chaos lease, and automatic exclusion as asked. */
        public MembershipSettings membership() {
            return MembershipSettings.DEFAULTS.withLease(LEASE, LEASE_MARGIN).withAutoExcludeAfter(autoExcludeAfter);
        }

        public boolean automaticMembership() {
            return !autoExcludeAfter.isZero();
        }
    }

    /** What a run found. */
    public record Report(Options options, Map<History.Kind, int[]> counts, Map<Nemesis.Kind, Integer> faults,
                         Map<String, Integer> crashPoints, Map<Nemesis.Kind, Map<String, Integer>> outcomes, List<Anomaly> anomalies,
                         long configurations, int viewsSeen, Path historyFile) {
        public boolean ok() {
            return anomalies.isEmpty();
        }

        public int total(History.Status status) {
            return counts.values().stream().mapToInt(c -> c[status.ordinal()]).sum();
        }

        public int faultsInjected() {
            return faults.values().stream().mapToInt(Integer::intValue).sum();
        }

        public void print(PrintStream out) {
            out.printf("chaos run: seed %d, %d s, %d clients, %d replicas, %d keys%s%n", options.seed(), options.duration().toSeconds(),
                    options.clients(), options.replicas(), options.keys(),
                    options.coordination() == Coordination.LEADER ? ", replica 1 coordinating every write" : "");
            out.printf("membership: read lease %d ms (margin %d ms), %s%n", LEASE.toMillis(), LEASE_MARGIN.toMillis(),
                    options.automaticMembership() ? "automatic exclusion after " + options.autoExcludeAfter().toMillis()
                            + " ms of silence and readmission once caught up" : "automatic membership off: the nemesis excludes and readmits by hand");
            out.printf("%n%-10s %8s %8s %8s %8s%n", "operation", "total", "ok", "failed", "unknown");
            int[] all = new int[3];
            for (var e : counts.entrySet()) {
                int[] c = e.getValue();
                out.printf("%-10s %8d %8d %8d %8d%n", e.getKey().name().toLowerCase(), c[0] + c[1] + c[2], c[0], c[1], c[2]);
                for (int i = 0; i < 3; i++) {
                    all[i] += c[i];
                }
            }
            out.printf("%-10s %8d %8d %8d %8d%n", "all", all[0] + all[1] + all[2], all[0], all[1], all[2]);
            out.printf("%n%-40s %8s%n", "faults injected", "count");
            for (Nemesis.Kind k : Nemesis.Kind.values()) {
                out.printf("%-40s %8d%n", k.label, faults.getOrDefault(k, 0));
                if (k == Nemesis.Kind.CRASH_AT_POINT) {
                    crashPoints.forEach((p, n) -> out.printf("  %-38s %8d%n", p, n));
                }
                outcomes.getOrDefault(k, Map.of()).forEach((what, n) -> out.printf("  %-38s %8d%n", what, n));
            }
            out.printf("%-40s %8d%n", "all", faultsInjected());
            out.printf("%nchecked: linearizability of every key (%d configurations searched), acknowledged writes kept,%n"
                    + "aborted writes invisible, replicas identical, nothing in doubt or locked after recovery,%n"
                    + "one view per epoch (%d views seen), every replica a member of one final view%n", configurations, viewsSeen);
            out.printf("history: %s%n", historyFile);
            out.printf("%nanomalies: %d%n", anomalies.size());
            for (Anomaly a : anomalies) {
                out.println("  " + a.check() + ": " + a.message());
                List<String> w = a.witness();
                int shown = Math.min(w.size(), WITNESS_LINES_SHOWN);
                // A long witness keeps its end, where the contradiction is.
                if (shown < w.size()) {
                    out.printf("      ... %d earlier lines in %s%n", w.size() - shown, historyFile.resolveSibling("anomalies.txt"));
                }
                w.subList(w.size() - shown, w.size()).forEach(line -> out.println("      " + line));
            }
        }
    }

    static final int WITNESS_LINES_SHOWN = 30;

    private final Options options;
    private final PrintStream log;

    public ChaosRunner(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public Report run() throws IOException, InterruptedException {
        started = System.nanoTime();
        List<String> keys = IntStream.range(0, options.keys()).mapToObj(i -> "k" + i).toList();
        History history = new History();
        try (ChaosCluster cluster = new ChaosCluster(options.workDir(), options.replicas(), TIMEOUTS, options.coordination(),
                options.membership()); ViewWatcher watcher = new ViewWatcher(cluster, history, VIEW_POLL)) {
            progress("starting %d replicas in %s", options.replicas(), options.workDir());
            cluster.startAll(Duration.ofSeconds(90));
            volatileStop = false;
            watcher.start();
            Nemesis nemesis = new Nemesis(cluster, history, watcher, options.seed(), () -> volatileStop);
            ExecutorService threads = Executors.newFixedThreadPool(options.clients() + 1);
            for (int c = 1; c <= options.clients(); c++) {
                threads.execute(new ChaosClient(c, cluster, history, keys, options.seed() * 1_000_003L + c, () -> volatileStop));
            }
            threads.execute(nemesis);
            progress("running %d clients and the nemesis for %d s (seed %d)", options.clients(), options.duration().toSeconds(),
                    options.seed());
            threads.shutdown();
            if (threads.awaitTermination(options.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("clients stopped before the end: " + nemesis.failure());
            }
            volatileStop = true;
            // A client's call is bounded by the RMI read timeout; the nemesis finishes its current fault.
            if (!threads.awaitTermination(TIMEOUTS.read().toSeconds() * 2 + 90, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
            progress("healing: every replica running and resumed, failure switches off, faults cleared");
            nemesis.healAll();
            List<Anomaly> anomalies = new ArrayList<>();
            if (nemesis.failure() != null) {
                anomalies.add(new Anomaly("nemesis", nemesis.failure(), List.of()));
            }
            // Every replica back in the write set first: an excluded one serves no reads, and the
            // checks below read every replica.
            anomalies.addAll(awaitOneView(cluster, new MembershipChanges(cluster, history, () -> false)));
            anomalies.addAll(awaitRecovery(cluster));
            progress("recovered; reading every replica's views and every key at every replica");
            watcher.close();
            List<String> unread = new ArrayList<>();
            List<ViewObservation> views = watcher.observations(unread);
            unread.forEach(u -> progress("views: %s", u));
            writeViews(views);
            anomalies.addAll(ViewChecks.check(views, cluster.ids()));
            Map<Integer, Map<String, KeyEntry>> finals = finalReads(cluster, history, keys);
            List<History.Op> ops = history.ops();
            Path historyFile = writeHistory(history, ops);
            progress("checking %d operations", ops.size());
            HistoryChecks checks = new HistoryChecks(ops, keys, options.searchBudget());
            anomalies.addAll(checks.linearizability());
            anomalies.addAll(checks.durabilityAndAtomicity(finals));
            anomalies.addAll(HistoryChecks.identical(finals));
            Files.write(options.workDir().resolve("anomalies.txt"), anomalies.stream().map(Anomaly::toString).toList(),
                    StandardCharsets.UTF_8);
            int viewsSeen = (int) views.stream().map(ViewObservation::view).distinct().count();
            return new Report(options, counts(ops), nemesis.injected(), nemesis.crashPoints(), nemesis.outcomes(), anomalies,
                    checks.configurations(), viewsSeen, historyFile);
        }
    }

    /** How often the view watcher asks each replica for its view. */
    static final Duration VIEW_POLL = Duration.ofMillis(150);

    /**
     * Waits until every replica is a member of one and the same view, caught up and holding a read
     * lease. Without automatic membership the replicas left out are asked to readmit themselves, as
     * an operator would; with it they must rejoin by themselves. Still unsettled after the recovery
     * patience: an anomaly.
     */
    private List<Anomaly> awaitOneView(ChaosCluster cluster, MembershipChanges changes) {
        long deadline = System.nanoTime() + options.recoveryPatience().toNanos();
        List<String> problems;
        do {
            Map<Integer, MembershipStatus> statuses = new TreeMap<>();
            Map<Integer, String> unanswered = new TreeMap<>();
            for (int r : cluster.ids()) {
                try {
                    statuses.put(r, cluster.connection(r).admin().members());
                } catch (Exception e) {
                    unanswered.put(r, ChaosClient.describe(e));
                }
            }
            problems = ViewChecks.unsettled(cluster.ids(), statuses, unanswered);
            if (problems.isEmpty()) {
                progress("every replica is a member of %s", statuses.values().iterator().next().view().text());
                return List.of();
            }
            if (!options.automaticMembership()) {
                statuses.forEach((r, st) -> {
                    if (!st.member()) {
                        changes.readmit(r, Duration.ofSeconds(10));
                    }
                });
            }
            ChaosCluster.pauseBriefly(250);
        } while (System.nanoTime() < deadline);
        return List.of(ViewChecks.notSettled(options.recoveryPatience(), problems));
    }

    /** Every view observation, for a reader of a run that found two views of one epoch. */
    private void writeViews(List<ViewObservation> views) throws IOException {
        Files.write(options.workDir().resolve("views.txt"), views.stream().map(ViewObservation::describe).toList(),
                StandardCharsets.UTF_8);
    }

    private volatile boolean volatileStop;
    private long started;

    /** A progress line, with the seconds since the run started: where a long run spends its time. */
    private void progress(String format, Object... args) {
        log.printf("[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
    }

    /** Waits until nothing is in doubt, held, or owed anywhere; what is left after the patience is an anomaly. */
    private List<Anomaly> awaitRecovery(ChaosCluster cluster) {
        long deadline = System.nanoTime() + options.recoveryPatience().toNanos();
        List<String> left;
        do {
            left = new ArrayList<>();
            for (int r : cluster.ids()) {
                try {
                    ReplicaConnection c = cluster.connection(r);
                    leftOver(r, c.admin().diagnostics(), c.admin().inDoubt()).ifPresent(left::add);
                } catch (Exception e) {
                    left.add("replica " + r + " does not answer: " + ChaosClient.describe(e));
                }
            }
            if (left.isEmpty()) {
                return List.of();
            }
            ChaosCluster.pauseBriefly(250);
        } while (System.nanoTime() < deadline);
        return List.of(leftInDoubtOrLocked(options.recoveryPatience(), left));
    }

    /** What replica {@code r} still holds, owes or doubts, described; empty once it is all settled. */
    static Optional<String> leftOver(int r, ReplicaDiagnostics d, List<InDoubtTransaction> doubt) {
        if (d.lockedKeys() == 0 && d.transactions() == 0 && d.undeliveredDecisions() == 0 && doubt.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("replica " + r + ": " + d.transactions() + " transactions held, " + d.lockedKeys() + " keys locked, "
                + d.undeliveredDecisions() + " decisions undelivered, in doubt: "
                + doubt.stream().map(t -> t.txId() + " " + t.keys() + " (" + t.lastAttempt() + ")").toList());
    }

    /** The anomaly for what is still left (see {@link #leftOver}) once the recovery patience is over. */
    static Anomaly leftInDoubtOrLocked(Duration patience, List<String> left) {
        return new Anomaly("left in doubt or locked", "after " + patience.toSeconds() + " s with every replica back", left);
    }

    /** Reads every key at every replica, one after another, into the history and into the final state. */
    private Map<Integer, Map<String, KeyEntry>> finalReads(ChaosCluster cluster, History history, List<String> keys) {
        Map<Integer, Map<String, KeyEntry>> out = new TreeMap<>();
        for (int r : cluster.ids()) {
            Map<String, KeyEntry> state = new TreeMap<>();
            for (String key : keys) {
                int op = history.invokeRead(0, r, key);
                try {
                    ReadResult read = cluster.connection(r).kv().get(key);
                    history.okRead(op, read);
                    state.put(key, new KeyEntry(key, read.found() ? read.value() : null, read.version(), null));
                } catch (Exception e) {
                    history.fail(op, null, ChaosClient.describe(e));
                    state.put(key, new KeyEntry(key, "(unreadable: " + ChaosClient.describe(e) + ")", -1, null));
                }
            }
            out.put(r, state);
        }
        return out;
    }

    private Path writeHistory(History history, List<History.Op> ops) throws IOException {
        List<String> lines = new ArrayList<>();
        history.nemesisEvents().forEach(e -> lines.add(e.toString()));
        ops.forEach(o -> lines.add(o.toString()));
        lines.sort((a, b) -> Double.compare(Double.parseDouble(a.substring(0, 9).trim()), Double.parseDouble(b.substring(0, 9).trim())));
        Path file = options.workDir().resolve("history.txt");
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static Map<History.Kind, int[]> counts(List<History.Op> ops) {
        Map<History.Kind, int[]> counts = new EnumMap<>(History.Kind.class);
        for (History.Kind k : History.Kind.values()) {
            counts.put(k, new int[3]);
        }
        for (History.Op op : ops) {
            counts.get(op.kind())[op.status().ordinal()]++;
        }
        return counts;
    }
}
