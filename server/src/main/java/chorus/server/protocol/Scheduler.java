package chorus.server.protocol;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.random.RandomGenerator;

/**
 * Everything through which the protocol hands work to other threads, waits, or draws a random
 * number: thread pools, timers, locks with conditions, waits for futures, sleeps, and the clock.
 * The protocol classes use nothing else for these, so that they run unchanged on real threads
 * ({@link #threads()}) or inside a deterministic simulator, which runs one thread at a time in an
 * order drawn from a seed and lets a timeout pass without waiting for it.
 *
 * <p>Rules for code that runs on a scheduler: block only through it (a {@link Lock} from
 * {@link #newLock()} and its conditions, {@link #await}, {@link #sleep}, or a call on a
 * {@link PeerChannel}); never while holding a {@code synchronized} monitor; read the time only from
 * {@link #clock()}.
 */
public interface Scheduler {

    Clock clock();

    /** A pool that runs each task at once on a thread of its own (threads are reused when idle). */
    ExecutorService newPool(String name);

    /** A timer whose tasks run one at a time on a thread of their own. */
    Timer newTimer(String name);

    /** A reentrant lock; its conditions are the only way to wait for a state change guarded by it. */
    Lock newLock();

    /**
     * Waits at most {@code timeoutNanos} for {@code future}: a future of a pool of this scheduler's,
     * or a {@link java.util.concurrent.CompletableFuture}.
     */
    <T> T await(Future<T> future, long timeoutNanos) throws InterruptedException, ExecutionException, TimeoutException;

    void sleep(long nanos) throws InterruptedException;

    /** Randomness for jitter (retry back-off); a simulator's is drawn from its seed. */
    RandomGenerator random();

    /** Real threads, the machine's clock and {@link java.util.concurrent.ThreadLocalRandom}: a running replica's. */
    static Scheduler threads() {
        return ThreadScheduler.INSTANCE;
    }
}
