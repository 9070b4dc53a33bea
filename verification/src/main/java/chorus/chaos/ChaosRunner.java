package chorus.chaos;

import chorus.api.config.Coordination;
import chorus.api.config.Timeouts;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.KeyEntry;
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

    /** Everything a run is told. */
    public record Options(Duration duration, int clients, long seed, int keys, int replicas, Path workDir,
                          Duration recoveryPatience, long searchBudget, Coordination coordination) {

        /** With the default coordination: each write coordinated by the replica its client called. */
        public Options(Duration duration, int clients, long seed, int keys, int replicas, Path workDir,
                       Duration recoveryPatience, long searchBudget) {
            this(duration, clients, seed, keys, replicas, workDir, recoveryPatience, searchBudget, Coordination.RECEIVER);
        }

        public Options {
            if (coordination == null) {
                coordination = Coordination.RECEIVER;
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
    }

    /** What a run found. */
    public record Report(Options options, Map<History.Kind, int[]> counts, Map<Nemesis.Kind, Integer> faults,
                         Map<String, Integer> crashPoints, List<Anomaly> anomalies, long configurations, Path historyFile) {
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
            }
            out.printf("%-40s %8d%n", "all", faultsInjected());
            out.printf("%nchecked: linearizability of every key (%d configurations searched), acknowledged writes kept,%n"
                    + "aborted writes invisible, replicas identical, nothing in doubt or locked after recovery%n", configurations);
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
        List<String> keys = IntStream.range(0, options.keys()).mapToObj(i -> "k" + i).toList();
        History history = new History();
        try (ChaosCluster cluster = new ChaosCluster(options.workDir(), options.replicas(), TIMEOUTS, options.coordination())) {
            log.printf("starting %d replicas in %s%n", options.replicas(), options.workDir());
            cluster.startAll(Duration.ofSeconds(90));
            volatileStop = false;
            Nemesis nemesis = new Nemesis(cluster, history, options.seed(), () -> volatileStop);
            ExecutorService threads = Executors.newFixedThreadPool(options.clients() + 1);
            for (int c = 1; c <= options.clients(); c++) {
                threads.execute(new ChaosClient(c, cluster, history, keys, options.seed() * 1_000_003L + c, () -> volatileStop));
            }
            threads.execute(nemesis);
            log.printf("running %d clients and the nemesis for %d s (seed %d)%n", options.clients(), options.duration().toSeconds(),
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
            log.println("healing: every replica running and resumed, failure switches off, faults cleared");
            nemesis.healAll();
            List<Anomaly> anomalies = new ArrayList<>();
            if (nemesis.failure() != null) {
                anomalies.add(new Anomaly("nemesis", nemesis.failure(), List.of()));
            }
            anomalies.addAll(awaitRecovery(cluster));
            Map<Integer, Map<String, KeyEntry>> finals = finalReads(cluster, history, keys);
            List<History.Op> ops = history.ops();
            Path historyFile = writeHistory(history, ops);
            log.printf("checking %d operations%n", ops.size());
            HistoryChecks checks = new HistoryChecks(ops, keys, options.searchBudget());
            anomalies.addAll(checks.linearizability());
            anomalies.addAll(checks.durabilityAndAtomicity(finals));
            anomalies.addAll(HistoryChecks.identical(finals));
            Files.write(options.workDir().resolve("anomalies.txt"), anomalies.stream().map(Anomaly::toString).toList(),
                    StandardCharsets.UTF_8);
            return new Report(options, counts(ops), nemesis.injected(), nemesis.crashPoints(), anomalies, checks.configurations(),
                    historyFile);
        }
    }

    private volatile boolean volatileStop;

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
