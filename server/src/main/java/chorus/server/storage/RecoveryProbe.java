package chorus.server.storage;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an attempt at a fixed interval, on a thread of its own, from {@link #start} until an
 * attempt returns true. Used while a store's writes fail: nobody else would notice that space came
 * back, since a replica that votes NO gets no writes that could succeed.
 */
final class RecoveryProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryProbe.class);

    private final Duration interval;
    private final BooleanSupplier attempt;
    private final BooleanSupplier settled;
    private final ScheduledExecutorService thread;
    private ScheduledFuture<?> running;

    /**
     * @param attempt one try; true when it succeeded
     * @param settled whether attempts are still needed, asked again before they stop: a failure
     *                between a successful attempt and the stop must not leave nobody trying
     */
    RecoveryProbe(String name, Duration interval, BooleanSupplier attempt, BooleanSupplier settled) {
        this.interval = interval;
        this.attempt = attempt;
        this.settled = settled;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the attempts, unless they are running. */
    synchronized void start() {
        if (running != null || thread.isShutdown()) {
            return;
        }
        running = thread.scheduleWithFixedDelay(this::once, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void once() {
        boolean done;
        try {
            done = attempt.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("recovery attempt failed: {}", e.toString());
            done = false;
        }
        if (done) {
            synchronized (this) {
                if (running != null && settled.getAsBoolean()) {
                    running.cancel(false);
                    running = null;
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("recovery probe still running after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
