package chorus.server.protocol;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters since start and commit latencies over a sliding window of recent one-second slices.
 * {@link #tick()} is called once a second by the replica's scheduler.
 */
public final class ReplicaMetrics {

    private static final int WINDOW_SLICES = 10;

    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong aborts = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final Recorder commitLatency = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
    private final ArrayDeque<Histogram> window = new ArrayDeque<>();

    public void committed(long latencyMicros) {
        commits.incrementAndGet();
        commitLatency.recordValue(Math.min(latencyMicros, TimeUnit.SECONDS.toMicros(60)));
    }

    private final java.util.Map<chorus.api.model.AbortCause, AtomicLong> abortsByCause = new java.util.EnumMap<>(chorus.api.model.AbortCause.class);

    {
        for (chorus.api.model.AbortCause c : chorus.api.model.AbortCause.values()) {
            abortsByCause.put(c, new AtomicLong());
        }
    }

    /** One aborted attempt of a transaction this replica coordinated, and why. */
    public void aborted(chorus.api.model.AbortCause cause) {
        aborts.incrementAndGet();
        if (cause != null) {
            abortsByCause.get(cause).incrementAndGet();
        }
    }

    /** Aborted attempts by cause since start. */
    public long aborts(chorus.api.model.AbortCause cause) {
        return abortsByCause.get(cause).get();
    }

    /**
     * Hears the times the event log does not carry: the lock step of each transaction this replica
     * coordinates, and each synced write of its storage (for the HTTP API's metrics).
     */
    public interface PhaseListener {
        void locked(long micros);

        void durableWrite(long micros);
    }

    private static final PhaseListener NO_LISTENER = new PhaseListener() {
        @Override
        public void locked(long micros) {
        }

        @Override
        public void durableWrite(long micros) {
        }
    };

    private volatile PhaseListener phases = NO_LISTENER;

    /** One listener at a time; the last one set hears. */
    public void listen(PhaseListener listener) {
        phases = listener;
    }

    /** A transaction's keys were locked at the lock primary, {@code micros} after it started. */
    public void locked(long micros) {
        phases.locked(micros);
    }

    /** A synced write of this replica's storage took {@code micros}, its sync included. */
    public void durableWrite(long micros) {
        phases.durableWrite(micros);
    }

    public void timedOut() {
        timeouts.incrementAndGet();
    }

    public long commits() {
        return commits.get();
    }

    public long aborts() {
        return aborts.get();
    }

    public long timeouts() {
        return timeouts.get();
    }

    public synchronized void tick() {
        window.addLast(commitLatency.getIntervalHistogram());
        while (window.size() > WINDOW_SLICES) {
            window.removeFirst();
        }
    }

    /** Commit latency percentile over the window, in microseconds, or -1 with no commit in it. */
    public synchronized long commitLatencyPercentile(double percentile) {
        Histogram sum = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        window.forEach(sum::add);
        return sum.getTotalCount() == 0 ? -1 : sum.getValueAtPercentile(percentile);
    }
}
