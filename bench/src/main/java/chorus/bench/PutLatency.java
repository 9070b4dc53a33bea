package chorus.bench;

import chorus.api.ChorusException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.ConfigException;
import chorus.api.config.ReplicaAddress;
import chorus.api.rmi.ReplicaConnection;
import chorus.api.rmi.ReplicaConnector;
import chorus.cli.ErrorMapper;
import chorus.cli.ExitCodes;
import chorus.cli.Target;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Sequential PUT latency against one replica: a warm-up (not measured, for the JIT on both
 * sides), then N timed PUTs, one at a time. Not a test: a figure for a person, printed as
 * {@code key=value} lines.
 */
@Command(name = "bench-put", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Times N sequential PUTs through one replica and prints throughput and latency percentiles.",
        footer = {"", "Output (one line each): count=.. errors=.. duration_s=.. throughput_ops=..",
            "  latency_ms p50=.. p90=.. p99=.. p99.9=.. max=..",
            "  heap_used_mb=.. heap_committed_mb=.. (of this client JVM)"})
public final class PutLatency implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "conf/cluster.properties",
            description = "Cluster file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-r", "--replica"}, paramLabel = "N", description = "Replica that coordinates the PUTs (default: the first).")
    Integer replica;

    @Option(names = {"-n", "--count"}, defaultValue = "2000", description = "Measured PUTs (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--warmup", defaultValue = "500", description = "Unmeasured PUTs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--keys", defaultValue = "1000", description = "Distinct keys written round-robin (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--value-bytes", defaultValue = "100", description = "Size of each value (default: ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = "--key-prefix", defaultValue = "bench/", description = "Prefix of the keys written (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 1 || warmup < 0 || keys < 1 || valueBytes < 0 || valueBytes > chorus.api.Limits.MAX_VALUE_BYTES) {
            err.println("error: need --count >= 1, --warmup >= 0, --keys >= 1, 0 <= --value-bytes <= " + chorus.api.Limits.MAX_VALUE_BYTES);
            return ExitCodes.USAGE;
        }
        ClusterConfig cluster;
        ReplicaAddress address;
        try {
            cluster = ClusterConfig.load(config);
            address = replica == null ? cluster.replicas().get(0) : cluster.require(replica);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Target target = Target.of(address);
        String value = "v".repeat(valueBytes);
        // The longest a live replica may take per PUT is bounded by the stubs' read timeout.
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        int errors = 0;
        String firstError = null;
        long elapsed;
        try {
            ReplicaConnection c = new ReplicaConnector(cluster.timeouts()).connect(address);
            out.println("# warm-up: " + warmup + " PUTs through " + target.label());
            out.flush();
            for (int i = 0; i < warmup; i++) {
                c.kv().put(prefix + (i % keys), value);
            }
            out.println("# measuring: " + count + " PUTs");
            out.flush();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                try {
                    c.kv().put(prefix + (i % keys), value);
                    latency.recordValue(Math.min(System.nanoTime() - t0, latency.getHighestTrackableValue()));
                } catch (ChorusException e) {
                    // An aborted PUT is counted, not timed: the percentiles describe commits.
                    errors++;
                    firstError = firstError == null ? e.getMessage() : firstError;
                }
            }
            elapsed = System.nanoTime() - start;
        } catch (ChorusException | RemoteException e) {
            err.println("error: " + ErrorMapper.map(target, e).getMessage());
            return ErrorMapper.map(target, e).exitCode();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.printf(Locale.ROOT, "count=%d errors=%d duration_s=%.3f throughput_ops=%.1f%n",
                latency.getTotalCount(), errors, elapsed / 1e9, latency.getTotalCount() / (elapsed / 1e9));
        out.printf(Locale.ROOT, "latency_ms p50=%.3f p90=%.3f p99=%.3f p99.9=%.3f max=%.3f%n",
                ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                ms(latency.getValueAtPercentile(99)), ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()));
        out.printf(Locale.ROOT, "heap_used_mb=%.1f heap_committed_mb=%.1f%n", heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0);
        if (firstError != null) {
            err.println("warning: " + errors + " PUTs failed; first: " + firstError);
        }
        return errors == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new PutLatency());
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        System.exit(cl.execute(args));
    }
}
