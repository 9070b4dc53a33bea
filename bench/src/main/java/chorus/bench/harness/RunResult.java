package chorus.bench.harness;

import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * What one workload run against one system measured: successful operations per type with their
 * latencies (nanoseconds), failed operations per type, the first failure's message, and the
 * machine's 1-minute load average when the run started, and the CPU time all server processes used
 * in the measured window (a figure that, unlike throughput, hardly depends on what else the shared
 * machine is doing), and the write transactions the servers committed in it ({@link
 * ServerProbe#UNKNOWN} where the system does not report them).
 */
public record RunResult(String system, String workload, int threads, double seconds, Map<String, Histogram> latencies,
                        Map<String, Long> errors, String firstError, double loadAverage, double serverCpuSeconds,
                        long transactions) {

    /** The operations that write. */
    private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE");

    /** CPU time the servers spent per successful operation in the measured window, in milliseconds. */
    public double serverCpuMillisPerOp() {
        return operations() == 0 ? Double.NaN : 1000 * serverCpuSeconds / operations();
    }

    public long operations() {
        return latencies.values().stream().mapToLong(Histogram::getTotalCount).sum();
    }

    /** Successful writes (inserts, updates, deletes) in the measured window. */
    public long writes() {
        return latencies.entrySet().stream().filter(e -> WRITES.contains(e.getKey())).mapToLong(e -> e.getValue().getTotalCount()).sum();
    }

    /** Writes per committed transaction: how many client writes one transaction carried on average; NaN if unknown. */
    public double writesPerTransaction() {
        return transactions <= 0 ? Double.NaN : writes() / (double) transactions;
    }

    /**
     * The servers' CPU time per committed transaction, in milliseconds, reads included; NaN if
     * unknown. Meaningful for write-only runs, where every operation is part of a transaction.
     */
    public double serverCpuMillisPerTransaction() {
        return transactions <= 0 ? Double.NaN : 1000 * serverCpuSeconds / transactions;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public double throughput() {
        return operations() / seconds;
    }

    public double throughput(String op) {
        Histogram h = latencies.get(op);
        return h == null ? 0 : h.getTotalCount() / seconds;
    }

    /** Latency of {@code op} at {@code percentile}, in milliseconds; NaN if the operation never succeeded. */
    public double millis(String op, double percentile) {
        Histogram h = latencies.get(op);
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }
}
