package chorus.sim;

import chorus.server.protocol.Clock;
import chorus.server.protocol.Scheduler;
import chorus.server.protocol.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.random.RandomGenerator;

/**
 * The {@link Scheduler} that one simulated process's protocol classes run on: its threads are
 * simulated threads of that process, its clock is the simulated time (plus the process's own
 * offset), its randomness comes from the seed.
 */
final class SimScheduler implements Scheduler {

    private final Sim sim;
    private final Host host;
    private final Clock clock;

    SimScheduler(Sim sim, Host host) {
        this.sim = sim;
        this.host = host;
        this.clock = new Clock() {
            @Override
            public long nanoTime() {
                return sim.now() + host.clockOffsetNanos;
            }

            @Override
            public long millis() {
                return Sim.EPOCH_MILLIS + (sim.now() + host.clockOffsetNanos) / 1_000_000;
            }
        };
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public ExecutorService newPool(String name) {
        return new SimPool(sim, host, name);
    }

    @Override
    public Timer newTimer(String name) {
        return new SimTimer(sim, host, name);
    }

    @Override
    public Lock newLock() {
        return new SimLock(sim);
    }

    @Override
    public <T> T await(Future<T> future, long timeoutNanos) throws InterruptedException, ExecutionException, TimeoutException {
        SimThread t = SimThread.current();
        long deadline = sim.now() + Math.max(0, timeoutNanos);
        while (!future.isDone()) {
            long left = deadline - sim.now();
            if (left <= 0) {
                throw new TimeoutException();
            }
            long token = sim.beginPark(t);
            Runnable wake = () -> sim.signal(t, token, SimThread.Wake.SIGNAL);
            if (future instanceof CompletableFuture<T> cf) {
                cf.whenComplete((v, e) -> wake.run());
            } else if (future instanceof SimTask<T> task) {
                task.whenDone(wake);
            } else {
                throw new IllegalArgumentException("a simulated thread cannot wait for " + future.getClass().getName());
            }
            if (sim.park(t, token, left, true) == SimThread.Wake.INTERRUPT) {
                throw new InterruptedException();
            }
        }
        return future.get();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        SimThread t = SimThread.current();
        long deadline = sim.now() + Math.max(0, nanos);
        while (sim.now() < deadline) {
            long token = sim.beginPark(t);
            if (sim.park(t, token, deadline - sim.now(), true) == SimThread.Wake.INTERRUPT) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public RandomGenerator random() {
        return sim.random;
    }

    @Override
    public String toString() {
        return "simulated " + host;
    }
}
