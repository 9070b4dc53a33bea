package chorus.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * A task submitted to a simulated pool: tells waiting simulated threads when it is done, and
 * turns {@code cancel(true)} into a simulated interrupt of the thread running it.
 */
final class SimTask<V> extends FutureTask<V> {

    private final Sim sim;
    private final List<Runnable> whenDone = new ArrayList<>();
    private SimThread runner;

    SimTask(Sim sim, Callable<V> callable) {
        super(callable);
        this.sim = sim;
    }

    SimTask(Sim sim, Runnable runnable, V result) {
        super(runnable, result);
        this.sim = sim;
    }

    @Override
    public void run() {
        runner = SimThread.current();
        try {
            super.run();
        } finally {
            runner = null;
        }
    }

    /** Runs {@code action} once this task is done (at once if it is). */
    void whenDone(Runnable action) {
        if (isDone()) {
            action.run();
        } else {
            whenDone.add(action);
        }
    }

    @Override
    protected void done() {
        List<Runnable> actions = new ArrayList<>(whenDone);
        whenDone.clear();
        actions.forEach(Runnable::run);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        SimThread r = runner;
        boolean cancelled = super.cancel(false);
        if (cancelled && mayInterruptIfRunning && r != null) {
            sim.interrupt(r);
        }
        return cancelled;
    }
}
