package chorus.server.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Tells the operator what a replica refused (log and event log), at most once a second per kind of
 * refusal with the count since: a flood of 20,000 connections must neither fill the log nor push
 * every protocol step out of the event window.
 */
final class RefusalReport {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BiConsumer<String, String> sink;
    private final LongSupplier nanoClock;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    /** @param sink receives (listener, "refused N ... : why") at most once a second per reason */
    RefusalReport(BiConsumer<String, String> sink, LongSupplier nanoClock) {
        this.sink = sink;
        this.nanoClock = nanoClock;
    }

    void refused(String listener, String why) {
        Kind k = kinds.computeIfAbsent(listener + '\0' + why, x -> new Kind(listener, why));
        k.count.incrementAndGet();
        report(k, nanoClock.getAsLong());
    }

    /** Reports the refusals counted since the last report, once that is a second old (the reaper calls this every tick). */
    void flush() {
        long now = nanoClock.getAsLong();
        for (Kind k : kinds.values()) {
            if (k.count.get() > 0) {
                report(k, now);
            }
        }
    }

    private void report(Kind k, long now) {
        long last = k.reported.get();
        if ((last == Long.MIN_VALUE || now - last >= INTERVAL_NANOS) && k.reported.compareAndSet(last, now)) {
            long since = k.count.getAndSet(0);
            if (since > 0) {
                sink.accept(k.listener, "refused " + k.why + (since == 1 ? "" : " (" + since + " such refusals since the last report)"));
            }
        }
    }

    /** Idle connections closed in one sweep; reported like refusals, as the same flood causes both. */
    void closedIdle(String listener, int count, long idleMillis) {
        sink.accept(listener, "closed " + count + " " + listener + " connection" + (count == 1 ? "" : "s")
                + " idle for more than " + idleMillis + " ms (limits.idle-timeout.ms)");
    }

    private static final class Kind {
        final String listener;
        final String why;
        final AtomicLong count = new AtomicLong();
        final AtomicLong reported = new AtomicLong(Long.MIN_VALUE);

        Kind(String listener, String why) {
            this.listener = listener;
            this.why = why;
        }
    }
}
