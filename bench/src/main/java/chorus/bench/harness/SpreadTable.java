package chorus.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures that several runs of the whole comparison are summed up by, each as its spread over
 * the runs: Chorus / ZooKeeper throughput (all operations) for every workload and thread count, the
 * single-client PUT p50 ratio and the load phase's ratio, then Chorus's single-client PUT p50 over
 * each run's own floor and protocol bound.
 */
public final class SpreadTable {

    /** One figure: what it is and its spread over the runs. */
    public record Row(String label, Spread spread) {
    }

    private SpreadTable() {
    }

    /** The rows for {@code runs}, which share one set of options (the last run's name the workloads and thread counts). */
    public static List<Row> rows(List<BenchResults> runs) {
        BenchOptions o = runs.get(runs.size() - 1).options();
        List<Row> rows = new ArrayList<>();
        for (Workload w : o.workloads()) {
            for (int t : o.threads()) {
                rows.add(row(runs, "throughput, " + (w == Workload.WRITE_ONLY ? "write-only" : "workload " + w.label()) + ", "
                        + t + (t == 1 ? " thread" : " threads"), r -> r.throughputRatio(w, t)));
            }
        }
        rows.add(row(runs, "single-client PUT p50 (write-only, 1 thread, UPDATE p50)", BenchResults::singleClientPutRatio));
        rows.add(row(runs, "load phase throughput (inserts, " + runs.get(runs.size() - 1).loadThreads() + " threads)",
                BenchResults::loadRatio));
        rows.add(row(runs, "Chorus PUT p50 / floor", BenchResults::putOverFloor));
        rows.add(row(runs, "Chorus PUT p50 / protocol bound", BenchResults::putOverProtocolBound));
        return rows;
    }

    private static Row row(List<BenchResults> runs, String label, ToDoubleFunction<BenchResults> figure) {
        return new Row(label, Spread.of(runs.stream().map(figure::applyAsDouble).toList()));
    }
}
