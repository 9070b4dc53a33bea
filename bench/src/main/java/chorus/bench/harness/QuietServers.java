package chorus.bench.harness;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Waits until every server of the comparison, of both systems, is quiet before a system is loaded
 * or measured. A JVM that has just started, or just served its first load, goes on compiling for
 * seconds after it; on two cores the system measured meanwhile paid for it: in {@code --baseline}
 * pairs of the same code, the cluster loaded first managed 632-802 inserts/s and the other one
 * 829-909. Quiet: the servers together used at most {@link #QUIET_SHARE} of one core over one
 * {@link #SAMPLE}. The wait is bounded; what it found is on the progress stream either way.
 */
final class QuietServers {

    /** Idle servers of both systems (timers, leases, pings) use a few per cent of a core together. */
    static final double QUIET_SHARE = 0.10;
    static final Duration SAMPLE = Duration.ofMillis(1_000);

    /** Waits for nothing (a quick run). */
    static final QuietServers NONE = new QuietServers(List.of(), null);

    private final List<Long> pids;
    private final PrintStream progress;

    QuietServers(List<Long> pids, PrintStream progress) {
        this.pids = List.copyOf(pids);
        this.progress = progress;
    }

    /** Returns once the servers are quiet, or after {@code max}; says which, before {@code what}. */
    void await(Duration max, String what) throws InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        long deadline = t0 + max.toNanos();
        double before = Machine.cpuSeconds(pids);
        while (true) {
            // Sampling /proc once a second: nothing to be woken by, the kernel only counts.
            Thread.sleep(SAMPLE.toMillis());
            double now = Machine.cpuSeconds(pids);
            double share = (now - before) / (SAMPLE.toNanos() / 1e9);
            boolean quiet = share <= QUIET_SHARE;
            if (quiet || System.nanoTime() - deadline >= 0) {
                progress.printf(Locale.ROOT, "# servers %s after %.0f s (%.0f %% of a core over the last second); %s%n",
                        quiet ? "quiet" : "still busy", (System.nanoTime() - t0) / 1e9, share * 100, what);
                return;
            }
            before = now;
        }
    }
}
