package chorus.bench.harness;

import chorus.api.config.Coordination;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Made-up results of one run of the comparison, for tests of what is computed from them: every
 * workload at 1, 8 and 32 threads, both systems at 1,000 ops/s, single-client PUT p50 1 ms in both,
 * the load at 32 threads and 1,000 inserts/s in both, a floor of 0.5 ms and a protocol bound of 0.65
 * ms; each of which a test can change. Each run lasts one second, so operations are ops/s.
 */
final class Comparisons {

    private List<Integer> threads = List.of(1, 8, 32);
    private List<Workload> workloads = List.of(Workload.values());
    private final Map<String, long[]> throughput = new HashMap<>();
    private double chorusPutMillis = 1.0;
    private double zookeeperPutMillis = 1.0;
    private int loadThreads = 32;
    private long chorusLoad = 1000;
    private long zookeeperLoad = 1000;
    private Coordination coordination = Coordination.RECEIVER;

    static Comparisons run() {
        return new Comparisons();
    }

    Comparisons threads(Integer... counts) {
        threads = List.of(counts);
        return this;
    }

    Comparisons workloads(Workload... chosen) {
        workloads = List.of(chosen);
        return this;
    }

    /** Chorus's and ZooKeeper's ops/s in {@code w} at {@code t} threads. */
    Comparisons throughput(Workload w, int t, long chorus, long zookeeper) {
        throughput.put(w.label() + "@" + t, new long[] {chorus, zookeeper});
        return this;
    }

    /** Both systems' UPDATE p50 in the write-only workload at one thread. */
    Comparisons put(double chorusMillis, double zookeeperMillis) {
        chorusPutMillis = chorusMillis;
        zookeeperPutMillis = zookeeperMillis;
        return this;
    }

    Comparisons load(int clientThreads, long chorus, long zookeeper) {
        loadThreads = clientThreads;
        chorusLoad = chorus;
        zookeeperLoad = zookeeper;
        return this;
    }

    Comparisons coordination(Coordination mode) {
        coordination = mode;
        return this;
    }

    BenchResults build() {
        BenchOptions options = new BenchOptions(10_000, 100, threads, loadThreads, Duration.ofSeconds(5), Duration.ofSeconds(15),
                workloads, 5000, 500, Path.of("unused"), false, "zipfian", coordination, false);
        Floor.Result floor = new Floor.Result(histogram(50_000, 1), histogram(200_000, 1), histogram(300_000, 1), 5);
        return new BenchResults(options, floor, system(Bench.CHORUS, 0, chorusPutMillis, chorusLoad),
                system(Bench.ZOOKEEPER, 1, zookeeperPutMillis, zookeeperLoad), Instant.parse("2026-01-01T00:00:00Z"), 100,
                "1.00 1.00 1.00", "2.00 2.00 2.00");
    }

    private SystemResults system(String name, int which, double putMillis, long load) {
        List<RunResult> runs = new ArrayList<>();
        for (Workload w : workloads) {
            for (int t : threads) {
                long ops = throughput.getOrDefault(w.label() + "@" + t, new long[] {1000, 1000})[which];
                String op = w == Workload.C ? "READ" : "UPDATE";
                double millis = w == Workload.WRITE_ONLY && t == 1 ? putMillis : 1.0;
                runs.add(result(name, w.label(), t, op, ops, millis));
            }
        }
        return new SystemResults(name, result(name, "load", loadThreads, "INSERT", load, 20), runs, Map.of());
    }

    private static RunResult result(String system, String workload, int threads, String op, long ops, double p50Millis) {
        return new RunResult(system, workload, threads, 1.0, Map.of(op, histogram(Math.round(p50Millis * 1e6), ops)), Map.of(),
                null, 1.0, 1.0, ServerProbe.UNKNOWN);
    }

    private static Histogram histogram(long nanos, long count) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        h.recordValueWithCount(nanos, count);
        return h;
    }
}
