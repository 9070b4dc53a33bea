package chorus.server.protocol;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/** The production {@link Scheduler}: daemon threads, the machine's clock, {@link ThreadLocalRandom}. */
final class ThreadScheduler implements Scheduler {

    static final ThreadScheduler INSTANCE = new ThreadScheduler();

    private ThreadScheduler() {
    }

    @Override
    public Clock clock() {
        return Clock.SYSTEM;
    }

    @Override
    public ExecutorService newPool(String name) {
        return Executors.newCachedThreadPool(named(name));
    }

    @Override
    public Timer newTimer(String name) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(named(name));
        return new Timer() {
            @Override
            public void every(Duration initialDelay, Duration period, Runnable task) {
                timer.scheduleWithFixedDelay(task, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void after(Duration delay, Runnable task) {
                timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void close() {
                timer.shutdownNow();
            }
        };
    }

    @Override
    public Lock newLock() {
        return new ReentrantLock();
    }

    @Override
    public <T> T await(Future<T> future, long timeoutNanos) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }

    @Override
    public RandomGenerator random() {
        return ThreadLocalRandom.current();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "threads";
    }
}
