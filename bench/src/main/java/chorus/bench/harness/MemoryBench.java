package chorus.bench.harness;

import chorus.api.ChorusException;
import chorus.api.KeyValueService;
import chorus.api.config.Coordination;
import chorus.api.config.Timeouts;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.server.testing.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads many keys into a fresh five-replica cluster through atomic batches, reports each replica's
 * resident memory, then kills one replica with SIGKILL, starts it again and times how long until it
 * serves a read of a loaded key.
 */
public final class MemoryBench {

    public record Result(int keys, int valueBytes, double loadSeconds, Map<Integer, Double> rssAfterLoad, int restarted,
                         double restartSeconds, Map<Integer, Double> rssAfterRestart, Instant started, String loadBefore,
                         String loadAfter) {
    }

    private static final int BATCH = 1000;
    private static final int LOADERS = 4;
    private static final int RESTARTED = 3;

    private MemoryBench() {
    }

    public static Result run(int keys, int valueBytes, Path workDir, PrintStream progress) throws InterruptedException {
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverages();
        String value = "v".repeat(valueBytes);
        try (LocalCluster cluster = LocalCluster.start(Bench.SERVERS, workDir.resolve("memory"), Timeouts.DEFAULTS,
                Coordination.RECEIVER, LocalCluster.Jvm.forBenchmarks())) {
            progress.printf(Locale.ROOT, "# loading %,d keys of %d bytes in batches of %d (load average %s)%n", keys, valueBytes,
                    BATCH, loadBefore);
            AtomicLong nextBatch = new AtomicLong();
            AtomicReference<Exception> failed = new AtomicReference<>();
            long batches = (keys + BATCH - 1) / BATCH;
            long t0 = System.nanoTime();
            List<Thread> loaders = new ArrayList<>();
            for (int t = 0; t < LOADERS; t++) {
                KeyValueService kv = cluster.connection(1 + t % Bench.SERVERS).kv();
                Thread loader = new Thread(() -> {
                    for (long b; (b = nextBatch.getAndIncrement()) < batches && failed.get() == null; ) {
                        List<Mutation> batch = new ArrayList<>(BATCH);
                        for (long k = b * BATCH; k < Math.min(keys, (b + 1) * BATCH); k++) {
                            batch.add(Mutation.put(key(k), value));
                        }
                        try {
                            kv.execute(batch);
                        } catch (ChorusException | RemoteException e) {
                            failed.compareAndSet(null, e);
                        }
                        if (b % 100 == 99) {
                            progress.printf(Locale.ROOT, "  %,d keys%n", (b + 1) * BATCH);
                        }
                    }
                }, "memory-loader-" + t);
                loaders.add(loader);
                loader.start();
            }
            for (Thread t : loaders) {
                t.join();
            }
            if (failed.get() != null) {
                throw new IllegalStateException("loading failed: " + failed.get().getMessage(), failed.get());
            }
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            Map<Integer, Double> rss = rss(cluster);
            progress.printf(Locale.ROOT, "loaded %,d keys in %.1f s; resident_mb %s%n", keys, loadSeconds, rss);

            cluster.kill(RESTARTED);
            long r0 = System.nanoTime();
            cluster.launch(RESTARTED, Map.of());
            String probe = key(keys - 1);
            double restartSeconds = awaitServing(cluster, probe, value, r0);
            progress.printf(Locale.ROOT, "replica %d serving again %.2f s after its restart began%n", RESTARTED, restartSeconds);
            Map<Integer, Double> rssAfter = rss(cluster);
            return new Result(keys, valueBytes, loadSeconds, rss, RESTARTED, restartSeconds, rssAfter, started, loadBefore,
                    Machine.loadAverages());
        }
    }

    private static String key(long k) {
        return String.format(Locale.ROOT, "mem/%08d", k);
    }

    /** Polls the restarted replica until it returns the probe key's value; bounded at 120 s. */
    private static double awaitServing(LocalCluster cluster, String probe, String value, long startNanos) throws InterruptedException {
        long deadline = startNanos + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!cluster.isRunning(RESTARTED)) {
                throw new IllegalStateException("replica " + RESTARTED + " exited during restart: " + cluster.tail(RESTARTED));
            }
            try {
                ReadResult r = cluster.connection(RESTARTED).kv().get(probe);
                if (r.found() && value.equals(r.value())) {
                    return (System.nanoTime() - startNanos) / 1e9;
                }
                throw new IllegalStateException("restarted replica " + RESTARTED + " lost key " + probe);
            } catch (ChorusException | RemoteException | IllegalStateException e) {
                if (e instanceof IllegalStateException ise && ise.getMessage().startsWith("restarted")) {
                    throw ise;
                }
                // not serving yet: the poll interval bounds the measurement's resolution
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("replica " + RESTARTED + " did not serve within 120 s of its restart");
    }

    private static Map<Integer, Double> rss(LocalCluster cluster) {
        Map<Integer, Double> out = new TreeMap<>();
        for (int id = 1; id <= Bench.SERVERS; id++) {
            int i = id;
            Machine.residentMB(cluster.pid(id)).ifPresent(m -> out.put(i, m));
        }
        return out;
    }

    public static void write(Result r, String command, Path markdown) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Memory and restart\n\n");
        md.append("Generated by `").append(command).append("` on ")
                .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(r.started().atOffset(ZoneOffset.UTC).withNano(0)))
                .append(" UTC; load average before ").append(r.loadBefore()).append(", after ").append(r.loadAfter())
                .append(". Machine: ").append(Machine.cores()).append(" cores, ").append(Machine.memory()).append(", ")
                .append(Machine.jdk()).append(". Replicas run with `").append(String.join(" ", Bench.SERVER_JVM_OPTIONS))
                .append("`.\n\n");
        md.append(String.format(Locale.ROOT, "%,d keys of %d-byte values loaded through atomic batches of %d puts in %.1f s "
                        + "(%,.0f keys/s).%n%n", r.keys(), r.valueBytes(), BATCH, r.loadSeconds(), r.keys() / r.loadSeconds()));
        md.append("| resident memory (MB, VmRSS) | replica 1 | replica 2 | replica 3 | replica 4 | replica 5 | target |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        rssRow(md, "after the load", r.rssAfterLoad());
        rssRow(md, "after replica " + r.restarted() + " restarted", r.rssAfterRestart());
        md.append(String.format(Locale.ROOT, "%nReplica %d, killed with SIGKILL and started again, served a read of a loaded key "
                + "**%.2f s** after its start began (JVM start, RocksDB open and recovery, key count, RMI export) — target "
                + "under 10 s: %s.%n", r.restarted(), r.restartSeconds(), r.restartSeconds() < 10 ? "met" : "**not met**"));
        Files.writeString(markdown, md.toString(), StandardCharsets.UTF_8);
    }

    private static void rssRow(StringBuilder md, String label, Map<Integer, Double> rss) {
        md.append("| ").append(label).append(" | ");
        boolean under = true;
        for (int id = 1; id <= Bench.SERVERS; id++) {
            Double m = rss.get(id);
            md.append(m == null ? "?" : Report.fmt0(m)).append(" | ");
            under &= m != null && m < 300;
        }
        md.append(under ? "under 300 MB: met" : "under 300 MB: **not met**").append(" |\n");
    }
}
