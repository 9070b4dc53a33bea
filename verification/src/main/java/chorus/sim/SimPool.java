package chorus.sim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;

/** A cached thread pool of the simulated world: every task gets a simulated thread of the pool's host. */
final class SimPool extends AbstractExecutorService {

    private final Sim sim;
    private final Host host;
    private final String name;
    private final Set<SimThread> live = new LinkedHashSet<>();
    private boolean shutdown;

    SimPool(Sim sim, Host host, String name) {
        this.sim = sim;
        this.host = host;
        this.name = name;
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException(name + " is shut down");
        }
        SimThread[] self = new SimThread[1];
        self[0] = sim.spawn(host, name, () -> {
            try {
                command.run();
            } finally {
                live.remove(self[0]);
            }
        });
        live.add(self[0]);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new SimTask<>(sim, callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new SimTask<>(sim, runnable, value);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        for (SimThread t : new ArrayList<>(live)) {
            sim.interrupt(t);
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && live.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("not simulated");
    }
}
