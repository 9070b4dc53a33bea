package chorus.bench.harness;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the servers of one system have done so far, read at both ends of a measured window: the CPU
 * time of their processes and, where the system reports it, how many write transactions they have
 * committed. Chorus groups concurrent writes into one transaction per coordinator, and its cost per
 * write is mostly its cost per transaction divided by the writes each one carries, so the report
 * shows both.
 */
public final class ServerProbe {

    /** A transaction count that the system does not report. */
    public static final long UNKNOWN = -1;

    /** One reading; {@code transactions} is {@link #UNKNOWN} when not reported or not reachable. */
    public record Reading(double cpuSeconds, long transactions) {
    }

    private final List<Long> pids;
    private final LongSupplier transactions;
    /** Samples the servers over each window ({@code --profile}); null when not asked for. */
    private final ServerProfiler profiler;

    private ServerProbe(List<Long> pids, LongSupplier transactions, ServerProfiler profiler) {
        this.pids = List.copyOf(pids);
        this.transactions = transactions;
        this.profiler = profiler;
    }

    /** CPU time only. */
    public static ServerProbe processes(List<Long> pids) {
        return new ServerProbe(pids, () -> UNKNOWN, null);
    }

    /** CPU time and committed transactions ({@code transactions} returns {@link #UNKNOWN} if it cannot tell). */
    public static ServerProbe withTransactions(List<Long> pids, LongSupplier transactions) {
        return new ServerProbe(pids, transactions, null);
    }

    /** The same probe, also profiling the servers over every window when {@code profiler} is not null. */
    public ServerProbe profiledBy(ServerProfiler profiler) {
        return new ServerProbe(pids, transactions, profiler);
    }

    public List<Long> pids() {
        return pids;
    }

    private Reading read() {
        return new Reading(Machine.cpuSeconds(pids), transactions.getAsLong());
    }

    /** Opens a measured window: a reading, then the profiler's start (so its attach is outside the window's CPU). */
    Reading begin() {
        Reading r = read();
        if (profiler != null) {
            profiler.start(pids);
        }
        return r;
    }

    /** Closes the window that {@link #begin} opened for {@code run}: a reading, then the profile. */
    Reading end(String run) {
        Reading r = read();
        if (profiler != null) {
            profiler.stop(pids, run);
        }
        return r;
    }

    /** Transactions committed between two readings, or {@link #UNKNOWN}. */
    static long transactionsBetween(Reading before, Reading after) {
        if (before.transactions() < 0 || after.transactions() < 0 || after.transactions() < before.transactions()) {
            return UNKNOWN;
        }
        return after.transactions() - before.transactions();
    }
}
