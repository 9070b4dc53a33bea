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
}
