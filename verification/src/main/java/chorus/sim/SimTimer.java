package chorus.sim;

import chorus.server.protocol.Timer;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A replica's timer in the simulated world: one simulated thread that runs due tasks one at a
 * time, as a single-threaded {@link java.util.concurrent.ScheduledExecutorService} does; a
 * periodic task whose run throws is not run again, as there.
 */
final class SimTimer implements Timer {

    private record Task(long due, long seq, Runnable action, long periodNanos) {
    }

    private final Sim sim;
    private final Host host;
    private final String name;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due)
            : Long.compare(a.seq, b.seq));
    private long seq;
    private SimThread thread;
    private boolean closed;

    SimTimer(Sim sim, Host host, String name) {
        this.sim = sim;
        this.host = host;
        this.name = name;
    }

    @Override
    public void every(Duration initialDelay, Duration period, Runnable task) {
        add(initialDelay.toNanos(), task, period.toNanos());
    }

    @Override
    public void after(Duration delay, Runnable task) {
        add(delay.toNanos(), task, 0);
    }

    private void add(long delayNanos, Runnable action, long periodNanos) {
        if (closed) {
            throw new RejectedExecutionException(name + " is closed");
        }
        tasks.add(new Task(sim.now() + delayNanos, seq++, action, periodNanos));
        if (thread == null) {
            thread = sim.spawn(host, name, this::loop);
        } else {
            sim.signal(thread, thread.parkToken, SimThread.Wake.SIGNAL);
        }
    }

    private void loop() {
        SimThread me = SimThread.current();
        while (!closed) {
            Task next = tasks.peek();
            long token = sim.beginPark(me);
            if (next == null) {
                sim.park(me, token, -1, true);
                continue;
            }
            if (next.due > sim.now()) {
                sim.park(me, token, next.due - sim.now(), true);
                continue;
            }
            tasks.poll();
            try {
                next.action.run();
            } catch (SimCrash c) {
                throw c;
            } catch (RuntimeException e) {
                sim.trace.line(sim.now(), host.name, name + ": a task failed and is not run again: " + e);
                continue;
            }
            Thread.interrupted();
            if (next.periodNanos > 0 && !closed) {
                tasks.add(new Task(sim.now() + next.periodNanos, seq++, next.action, next.periodNanos));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        tasks.clear();
        if (thread != null) {
            sim.interrupt(thread);
        }
    }
}
