package chorus.bench.harness;

import java.time.Instant;

/** One harness run: the floor, both systems' results, and when and how long. */
public record BenchResults(BenchOptions options, Floor.Result floor, SystemResults chorus, SystemResults zookeeper,
                           Instant started, double seconds, String loadBefore, String loadAfter) {

    /** A single client's PUT p50 in milliseconds: Chorus's update p50 in the write-only workload at one thread. */
    public double singleClientPutMillis() {
        RunResult r = chorus.run(Workload.WRITE_ONLY, 1);
        return r == null ? Double.NaN : r.millis("UPDATE", 50);
    }

    /** Whether both systems ran {@code workload} at {@code threads}. */
    public boolean ran(Workload workload, int threads) {
        return chorus.run(workload, threads) != null && zookeeper.run(workload, threads) != null;
    }

    /** Chorus's throughput over ZooKeeper's in {@code workload} at {@code threads}; NaN if either did not run it. */
    public double throughputRatio(Workload workload, int threads) {
        return ran(workload, threads)
                ? chorus.run(workload, threads).throughput() / zookeeper.run(workload, threads).throughput()
                : Double.NaN;
    }

    /**
     * Chorus's single-client PUT p50 over ZooKeeper's single-client write p50: the UPDATE p50s of the
     * write-only workload at one thread; NaN if it did not run or a system completed no update.
     */
    public double singleClientPutRatio() {
        RunResult z = zookeeper.run(Workload.WRITE_ONLY, 1);
        return z == null ? Double.NaN : singleClientPutMillis() / z.millis("UPDATE", 50);
    }

    /** Chorus's single-client PUT p50 over this run's floor. */
    public double putOverFloor() {
        return singleClientPutMillis() / floor.floorMillis();
    }

    /** Chorus's single-client PUT p50 over this run's protocol bound, for the run's coordination. */
    public double putOverProtocolBound() {
        return singleClientPutMillis() / floor.protocolBoundMillis(options.coordination());
    }

    /** The load phase's client threads (both systems load alike). */
    public int loadThreads() {
        return chorus.load().threads();
    }

    /** Chorus's load-phase (insert) throughput over ZooKeeper's. */
    public double loadRatio() {
        return chorus.load().throughput() / zookeeper.load().throughput();
    }
}
