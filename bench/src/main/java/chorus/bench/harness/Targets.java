package chorus.bench.harness;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The targets of issue 19, each a Chorus / ZooKeeper ratio from the same run, and their judgement
 * over several runs: a target is met when the median of its ratio over the runs meets it.
 */
public final class Targets {

    /** The load phase the load target names. */
    static final int LOAD_THREADS = 32;

    /**
     * One target: the runs that measured it, its ratio in one of them (NaN if that run gave no
     * figure), and the bound the median must reach: at least {@code bound}, or at most it if {@code
     * atMost}.
     */
    public record Target(String label, Predicate<BenchResults> measuredBy, ToDoubleFunction<BenchResults> ratio,
                         boolean atMost, double bound) {

        public boolean metBy(double value) {
            return !Double.isNaN(value) && (atMost ? value <= bound : value >= bound);
        }

        /** The target's ratio over the runs that measured it. */
        public Verdict judge(List<BenchResults> runs) {
            List<BenchResults> measured = runs.stream().filter(measuredBy).toList();
            return new Verdict(this, measured.size(), Spread.of(measured.stream().map(ratio::applyAsDouble).toList()));
        }
    }

    /**
     * A target over the runs: how many measured it ({@code runs}, 0 for "not run") and its ratio's
     * spread over them; met when the median meets the target.
     */
    public record Verdict(Target target, int runs, Spread spread) {

        public boolean wasRun() {
            return runs > 0;
        }

        public boolean met() {
            return wasRun() && target.metBy(spread.median());
        }
    }

    /** Every target, in the order of the report. */
    public static final List<Target> ALL = List.of(
            throughput(Workload.WRITE_ONLY, 8, 1.0, "1.0× ZooKeeper"),
            throughput(Workload.WRITE_ONLY, 32, 1.0, "1.0× ZooKeeper (aim 1.5×)"),
            throughput(Workload.A, 8, 1.0, "1.0× ZooKeeper"),
            throughput(Workload.A, 32, 1.0, "1.0× ZooKeeper"),
            throughput(Workload.B, 32, 2.0, "2× ZooKeeper"),
            throughput(Workload.C, 32, 2.0, "2× ZooKeeper"),
            new Target("single-client PUT p50 ≤ ZooKeeper's single-client write p50 (write-only, 1 thread, UPDATE p50 ratio "
                    + "≤ 1.0)", r -> r.ran(Workload.WRITE_ONLY, 1), BenchResults::singleClientPutRatio, true, 1.0),
            new Target("load phase (inserts, " + LOAD_THREADS + " threads) throughput ≥ 1.0× ZooKeeper's",
                    r -> r.loadThreads() == LOAD_THREADS, BenchResults::loadRatio, false, 1.0));

    private Targets() {
    }

    /** Every target judged over {@code runs}. */
    public static List<Verdict> judge(List<BenchResults> runs) {
        return ALL.stream().map(t -> t.judge(runs)).toList();
    }

    private static Target throughput(Workload w, int threads, double bound, String needed) {
        String name = w == Workload.WRITE_ONLY ? "write-only" : "workload " + w.label();
        return new Target(name + " throughput at " + threads + " threads ≥ " + needed, r -> r.ran(w, threads),
                r -> r.throughputRatio(w, threads), false, bound);
    }
}
