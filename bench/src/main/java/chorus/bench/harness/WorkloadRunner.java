package chorus.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.WorkloadException;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/**
 * Runs one YCSB core workload against one system in this JVM: N client threads, each with its own
 * binding instance (so its own connection), a warm-up that is not measured, then a measured window.
 * Every operation is timed into a per-thread HdrHistogram per operation type; histograms are merged
 * when the threads are done, so the measurement itself takes no lock on the hot path.
 */
public final class WorkloadRunner {

    /** Longest latency a histogram tracks; longer ones are clamped (the RMI read timeout is 15 s). */
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    private WorkloadRunner() {
    }

    /** Inserts {@code recordcount} records with {@code threads} threads; every insert is measured. */
    public static RunResult load(String system, Supplier<DB> bindings, Properties props, int threads, ServerProbe servers)
            throws InterruptedException, WorkloadException, DBException {
        long records = Long.parseLong(props.getProperty("recordcount"));
        AtomicLong remaining = new AtomicLong(records);
        return execute(system, "load", bindings, props, threads, 0, Long.MAX_VALUE, servers,
                (w, db, state, stop) -> {
                    while (remaining.getAndDecrement() > 0) {
                        w.doInsert(db, state);
                    }
                });
    }

    /** Runs the workload's transactions for {@code warmupNanos} unmeasured, then {@code measureNanos} measured. */
    public static RunResult run(String system, String workload, Supplier<DB> bindings, Properties props, int threads,
                                long warmupNanos, long measureNanos, ServerProbe servers) throws InterruptedException, WorkloadException, DBException {
        return execute(system, workload, bindings, props, threads, warmupNanos, measureNanos, servers,
                (w, db, state, stop) -> {
                    while (System.nanoTime() < stop) {
                        w.doTransaction(db, state);
                    }
                });
    }

    /** The number of a client thread within its run (0, 1, ...), in the properties its binding gets. */
    public static final String CLIENT_PROPERTY = "bench.client";

    private interface Loop {
        void run(CoreWorkload workload, DB db, Object state, long stopNanos);
    }

    private static RunResult execute(String system, String name, Supplier<DB> bindings, Properties props, int threads,
                                     long warmupNanos, long measureNanos, ServerProbe servers, Loop loop)
            throws InterruptedException, WorkloadException, DBException {
        // CoreWorkload reaches YCSB's global measurements (for read-modify-write only, unused here):
        // they must exist, though the figures come from this class's own histograms.
        Measurements.setProperties(props);
        CoreWorkload workload = new CoreWorkload();
        workload.init(props);
        List<TimedDB> dbs = new ArrayList<>();
        List<Object> states = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                DB db = bindings.get();
                // Each client knows its number, from which it picks its server: every run, of either
                // build in a --baseline pair, puts its clients on the same servers.
                Properties mine = new Properties();
                mine.putAll(props);
                mine.setProperty(CLIENT_PROPERTY, String.valueOf(t));
                db.setProperties(mine);
                db.init();
                dbs.add(new TimedDB(db));
                states.add(workload.initThread(props, t, threads));
            }
            double load = Machine.loadAverage();
            CountDownLatch go = new CountDownLatch(1);
            long[] window = new long[2];
            List<Thread> running = new ArrayList<>();
            AtomicReference<Throwable> crashed = new AtomicReference<>();
            for (int t = 0; t < threads; t++) {
                TimedDB db = dbs.get(t);
                Object state = states.get(t);
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        db.window(window[0], window[1]);
                        loop.run(workload, db, state, window[1]);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException | Error e) {
                        crashed.compareAndSet(null, e);
                    }
                }, "ycsb-" + system + "-" + name + "-" + t);
                thread.setDaemon(true);
                running.add(thread);
                thread.start();
            }
            long start = System.nanoTime();
            window[0] = start + warmupNanos;
            window[1] = measureNanos == Long.MAX_VALUE ? Long.MAX_VALUE : window[0] + measureNanos;
            go.countDown();
            ServerProbe.Reading before;
            ServerProbe.Reading after;
            String run = system + " " + name + " " + threads;
            if (measureNanos == Long.MAX_VALUE) {
                before = servers.begin();
                for (Thread thread : running) {
                    thread.join();
                }
                after = servers.end(run);
            } else {
                // What the servers did over the measured window only: read at its two ends.
                TimeUnit.NANOSECONDS.sleep(Math.max(0, window[0] - System.nanoTime()));
                before = servers.begin();
                TimeUnit.NANOSECONDS.sleep(Math.max(0, window[1] - System.nanoTime()));
                after = servers.end(run);
                for (Thread thread : running) {
                    thread.join();
                }
            }
            long end = System.nanoTime();
            if (crashed.get() != null) {
                throw new IllegalStateException("a client thread of " + system + " " + name + " failed", crashed.get());
            }
            double seconds = measureNanos == Long.MAX_VALUE ? (end - start) / 1e9 : measureNanos / 1e9;
            Map<String, Histogram> latencies = new TreeMap<>();
            Map<String, Long> errors = new TreeMap<>();
            String firstError = null;
            for (TimedDB db : dbs) {
                db.latencies.forEach((op, h) -> latencies.computeIfAbsent(op, o -> newHistogram()).add(h));
                db.errors.forEach((op, n) -> errors.merge(op, n, Long::sum));
                firstError = firstError == null ? db.firstError : firstError;
            }
            return new RunResult(system, name, threads, seconds, latencies, errors, firstError, load,
                    after.cpuSeconds() - before.cpuSeconds(), ServerProbe.transactionsBetween(before, after));
        } finally {
            for (TimedDB db : dbs) {
                try {
                    db.cleanup();
                } catch (DBException e) {
                    // the run is over; a binding that cannot close cleanly changes no figure
                }
            }
        }
    }

    private static Histogram newHistogram() {
        return new Histogram(MAX_NANOS, 3);
    }

    /** Times every call of the wrapped binding that starts inside the measured window. */
    private static final class TimedDB extends DB {
        private final DB db;
        private final Map<String, Histogram> latencies = new HashMap<>();
        private final Map<String, Long> errors = new HashMap<>();
        private String firstError;
        private long from;
        private long to;

        TimedDB(DB db) {
            this.db = db;
        }

        void window(long fromNanos, long toNanos) {
            this.from = fromNanos;
            this.to = toNanos;
        }

        @Override
        public void cleanup() throws DBException {
            db.cleanup();
        }

        private Status timed(String op, Supplier<Status> call) {
            long t0 = System.nanoTime();
            Status s;
            try {
                s = call.get();
            } catch (RuntimeException e) {
                s = new Status("ERROR", e.toString());
            }
            long t1 = System.nanoTime();
            if (t0 >= from && t0 < to) {
                if (s.isOk()) {
                    latencies.computeIfAbsent(op, o -> newHistogram()).recordValue(Math.min(t1 - t0, MAX_NANOS));
                } else {
                    errors.merge(op, 1L, Long::sum);
                    if (firstError == null) {
                        firstError = op + ": " + s.getName() + " " + s.getDescription();
                    }
                }
            }
            return s;
        }

        @Override
        public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
            return timed("READ", () -> db.read(table, key, fields, result));
        }

        @Override
        public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                           Vector<HashMap<String, ByteIterator>> result) {
            return timed("SCAN", () -> db.scan(table, startkey, recordcount, fields, result));
        }

        @Override
        public Status update(String table, String key, Map<String, ByteIterator> values) {
            return timed("UPDATE", () -> db.update(table, key, values));
        }

        @Override
        public Status insert(String table, String key, Map<String, ByteIterator> values) {
            return timed("INSERT", () -> db.insert(table, key, values));
        }

        @Override
        public Status delete(String table, String key) {
            return timed("DELETE", () -> db.delete(table, key));
        }
    }
}
