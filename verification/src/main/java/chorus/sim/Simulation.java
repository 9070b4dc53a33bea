package chorus.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Shared pieces of the simulator's command line and tests: defaults, the report lines, quiet logs. */
final class Simulation {

    /** Simulated events in a lifetime's faulty phase, by default. */
    static final long DEFAULT_STEPS = 20_000;

    private Simulation() {
    }

    /**
     * Runs the lifetimes of {@code seeds}, {@code jobs} at a time, and hands each outcome to
     * {@code each} in seed order as soon as it and those before it are done; returns them all.
     */
    static List<Lifetime.Outcome> runAll(List<Long> seeds, long steps, int traceLines, Bugs bugs, int jobs,
                                         Consumer<Lifetime.Outcome> each) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "lifetime");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Lifetime.Outcome>> runs = new ArrayList<>();
            for (long seed : seeds) {
                runs.add(pool.submit(() -> Lifetime.run(seed, steps, traceLines, bugs)));
            }
            List<Lifetime.Outcome> out = new ArrayList<>();
            for (Future<Lifetime.Outcome> f : runs) {
                Lifetime.Outcome o = f.get();
                each.accept(o);
                out.add(o);
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<Lifetime.Outcome> runAll(List<Long> seeds, long steps, int traceLines, Bugs bugs, int jobs)
            throws InterruptedException, ExecutionException {
        return runAll(seeds, steps, traceLines, bugs, jobs, o -> { });
    }

    /** One lifetime in one line. */
    static String line(Lifetime.Outcome o) {
        return String.format(Locale.ROOT, "seed %-8d %-4s %6d tx %6d ops %4d faults %8.1f s simulated %7.2f s wall  digest %016x",
                o.seed(), o.ok() ? "ok" : "FAIL", o.transactions(), o.operations(), o.faults(), o.simulatedNanos() / 1e9,
                o.wallNanos() / 1e9, o.digest());
    }

    /** What a run of many lifetimes added up to. */
    static final class Totals {
        long lifetimes;
        long transactions;
        long operations;
        long faults;
        long steps;
        long simulatedNanos;

        void add(Lifetime.Outcome o) {
            lifetimes++;
            transactions += o.transactions();
            operations += o.operations();
            faults += o.faults();
            steps += o.steps();
            simulatedNanos += o.simulatedNanos();
        }

        String summary(long wallNanos) {
            double wall = wallNanos / 1e9;
            return String.format(Locale.ROOT, "%d lifetimes: %d transactions, %d client operations, %d faults, %d events, "
                            + "%.0f s simulated in %.1f s of wall time (%.0f transactions/s of wall time)", lifetimes, transactions,
                    operations, faults, steps, simulatedNanos / 1e9, wall, transactions / Math.max(wall, 1e-9));
        }
    }

    /** The replicas' logs would drown the report: the simulator's own trace says what happened. */
    static void quietLogs() {
        for (String name : new String[] {org.slf4j.Logger.ROOT_LOGGER_NAME, "chorus"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }
}
