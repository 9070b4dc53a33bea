package chorus.bench.harness;

import chorus.api.config.Coordination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One benchmark run's shape, the same for both systems: records loaded, value size, client thread
 * counts, warm-up and measured time per run, the number of samples behind the floor, YCSB's
 * request distribution (zipfian, uniform, latest), and which Chorus replica coordinates a write.
 */
public record BenchOptions(int records, int valueBytes, List<Integer> threads, int loadThreads, Duration warmup,
                           Duration measure, List<Workload> workloads, int floorRmiCalls, int floorSyncedWrites,
                           Path workDir, boolean quick, String distribution, Coordination coordination, boolean profile,
                           int exclude) {

    /** All five Chorus replicas members (no {@code --exclude}). */
    public BenchOptions(int records, int valueBytes, List<Integer> threads, int loadThreads, Duration warmup, Duration measure,
                        List<Workload> workloads, int floorRmiCalls, int floorSyncedWrites, Path workDir, boolean quick,
                        String distribution, Coordination coordination, boolean profile) {
        this(records, valueBytes, threads, loadThreads, warmup, measure, workloads, floorRmiCalls, floorSyncedWrites, workDir, quick,
                distribution, coordination, profile, 0);
    }

    public BenchOptions {
        if (exclude < 0 || exclude > Bench.SERVERS) {
            throw new IllegalArgumentException("the replica to exclude must be 1.." + Bench.SERVERS + " (or 0: none), was " + exclude);
        }
        if (records < 1 || valueBytes < 1 || loadThreads < 1 || threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)
                || warmup.isNegative() || measure.isNegative() || measure.isZero() || workloads.isEmpty()) {
            throw new IllegalArgumentException("need records >= 1, value bytes >= 1, thread counts >= 1, a positive measured time");
        }
        threads = List.copyOf(threads);
        if (coordination == null) {
            coordination = Coordination.LEADER;
        }
        workloads = List.copyOf(workloads);
    }

    /** The full run behind docs/benchmarks.md: warmed-up runs long enough to be steady. */
    public static BenchOptions full(Path workDir) {
        return new BenchOptions(10_000, 100, List.of(1, 8, 32), 32, Duration.ofSeconds(5), Duration.ofSeconds(15),
                List.of(Workload.values()), 5000, 500, workDir, false, "zipfian", Coordination.LEADER, false);
    }

    /** The smoke run: every workload and thread count once, briefly; it shows the harness works, not speed. */
    public static BenchOptions quick(Path workDir) {
        return new BenchOptions(500, 100, List.of(1, 8, 32), 8, Duration.ofMillis(300), Duration.ofMillis(800),
                List.of(Workload.values()), 500, 50, workDir, true, "zipfian", Coordination.LEADER, false);
    }
}
