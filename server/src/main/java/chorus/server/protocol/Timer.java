package chorus.server.protocol;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/** A replica's background timer: periodic sweeps and one-off delayed tasks, run one at a time. */
public interface Timer extends AutoCloseable {

    /** Runs {@code task} after {@code initialDelay}, then again {@code period} after each run ends. */
    void every(Duration initialDelay, Duration period, Runnable task);

    /**
     * Runs {@code task} once after {@code delay}.
     *
     * @throws RejectedExecutionException once the timer is closed
     */
    void after(Duration delay, Runnable task);

    /** Cancels everything scheduled; a task running now is interrupted. */
    @Override
    void close();
}
