package chorus.server.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that have waited longer than the idle timeout for their next call (or for the
 * rest of one), on one thread for all of a replica's listeners. RMI's own read timeout would do the
 * same at a cost on every call ({@code ReplicaMain}: a socket with a timeout turns each blocking
 * read into a failed read, a poll and a read again); this costs one scan a second.
 */
final class IdleReaper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleReaper.class);

    private final List<ListenerGuard> guards;
    private final long idleNanos;
    private final RefusalReport report;
    private final ScheduledExecutorService timer;

    IdleReaper(List<ListenerGuard> guards, Duration idleTimeout, RefusalReport report) {
        this.guards = List.copyOf(guards);
        this.idleNanos = idleTimeout.toNanos();
        this.report = report;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idle-connection-reaper");
            t.setDaemon(true);
            return t;
        });
        // A connection is closed between one and 1.25 idle timeouts (at most one second) after its last byte.
        long period = Math.max(100, Math.min(1000, idleTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    /** Closes every connection idle longer than the timeout; returns how many. */
    int reap() {
        int closed = 0;
        long now = System.nanoTime();
        for (ListenerGuard g : guards) {
            int here = 0;
            for (GuardedSocket s : g.live()) {
                if (s.waitingNanos(now) > idleNanos) {
                    try {
                        s.close();
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("closing an idle connection failed: {}", e.toString());
                    }
                    here++;
                }
            }
            if (here > 0) {
                report.closedIdle(g.listener(), here, TimeUnit.NANOSECONDS.toMillis(idleNanos));
            }
            closed += here;
        }
        // Refusals counted in the last second of a flood are told even when none follows.
        report.flush();
        return closed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
