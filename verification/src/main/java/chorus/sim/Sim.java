package chorus.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated world's time and its one-at-a-time thread scheduler. Events (a thread's turn, a
 * message's arrival, a fault) run in the order of their simulated time, ties in the order they
 * were scheduled; time jumps from one event to the next, so a timeout of seconds costs nothing.
 * Every choice (delays, which thread goes first, faults) is drawn from one seeded generator, and
 * only one simulated thread runs at a time, so one seed always gives the same run.
 *
 * <p>The turn passes directly from thread to thread: a thread that blocks runs the due events
 * itself until one is another thread's turn, hands it over and sleeps; if the next turn is its own
 * (its timeout came first), it carries on without a switch. The driver (the thread that calls
 * {@link #runUntil}) gets the turn back when nothing is due before the time it asked for.
 */
public final class Sim implements AutoCloseable {

    /** The wall-clock time the simulated world starts at (2026-01-01 UTC): fixed, so that traces replay exactly. */
    static final long EPOCH_MILLIS = 1_767_225_600_000L;
    /** How long the driver waits, in real time, for a simulated thread to block again before calling it stuck. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicInteger WORLDS = new AtomicInteger();

    /**
     * Something due at {@code at}: an action (run by whichever thread holds the turn; it must not
     * block), or a thread's turn ({@code thread} set): its start, or its wake-up from park {@code token}.
     */
    private record Event(long at, long seq, Runnable action, SimThread thread, long token, SimThread.Wake why) {
    }

    final long seed;
    final SplittableRandom random;
    final Trace trace;
    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.seq, b.seq));
    /** The driver's turn: the thread that called {@link #runUntil} waits on it. */
    private final Semaphore driverTurn = new Semaphore(0);
    private final ExecutorService carriers;
    private final List<String> uncaught = new ArrayList<>();
    private long now;
    private long seq;
    private long steps;
    private long threadIds;
    private long until;
    /** The simulated thread whose turn it is; null while the driver has it. */
    private SimThread running;
    /** A failure of the simulator itself, found while some simulated thread held the turn. */
    private RuntimeException failure;

    public Sim(long seed, Trace trace) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.trace = trace;
        int world = WORLDS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.carriers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sim-" + world + "-carrier-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Simulated nanoseconds since the world began. */
    public long now() {
        return now;
    }

    public long steps() {
        return steps;
    }

    /** Exceptions that escaped a simulated thread (a real replica's pool would print and drop them). */
    public List<String> uncaught() {
        return uncaught;
    }

    void at(long time, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, action, null, 0, null));
    }

    void after(long delayNanos, Runnable action) {
        at(now + delayNanos, action);
    }

    private void turnAt(long time, SimThread t, long token, SimThread.Wake why) {
        queue.add(new Event(Math.max(time, now), seq++, null, t, token, why));
    }

    /** A short random delay: when one of several runnable threads gets the turn. */
    long jitter() {
        return 1_000 + random.nextLong(40_000);
    }

    /**
     * Runs events until simulated time {@code until}, and moves the clock there; false when no event
     * is left at all (every thread blocked without a timeout, and nothing on its way). The turn passes from thread to
     * thread and comes back here when nothing is due before {@code until}.
     */
    boolean runUntil(long until) {
        this.until = until;
        long seen = -1;
        long quietSince = System.nanoTime();
        if (loop(null, false)) {
            // Another thread has the turn: wait for it to come back, watching that events still pass.
            while (true) {
                try {
                    if (driverTurn.tryAcquire(1, TimeUnit.SECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("the simulation was interrupted", e);
                }
                if (steps != seen) {
                    seen = steps;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > PATIENCE.toNanos()) {
                    throw new SimulationStuck(running, PATIENCE);
                }
            }
        }
        if (failure != null) {
            RuntimeException f = failure;
            failure = null;
            throw f;
        }
        if (until != Long.MAX_VALUE) {
            now = Math.max(now, until); // the world idles until then
        }
        return !queue.isEmpty();
    }

    /**
     * The scheduler, run by the thread that holds the turn and is giving it up ({@code self}; null
     * for the driver): runs due events until one is another thread's turn, hands the turn to it and
     * returns true; or returns false at once when the next turn is {@code self}'s own (it carries
     * on without a switch). A thread that is ending ({@code exiting}) hands the turn on and returns.
     * When nothing is due before {@link #until}, the turn goes back to the driver.
     */
    private boolean loop(SimThread self, boolean exiting) {
        if (running != self) {
            throw new IllegalStateException(Thread.currentThread().getName() + " schedules as " + (self == null ? "the driver" : self)
                    + " but the turn is " + (running == null ? "the driver's" : running + "'s"));
        }
        while (true) {
            Event e = failure == null ? queue.peek() : null;
            if (e == null || e.at > until) {
                if (self == null) {
                    return false;
                }
                handTo(null);
                return true;
            }
            queue.poll();
            now = Math.max(now, e.at);
            steps++;
            if (e.thread == null) {
                try {
                    e.action.run();
                } catch (RuntimeException | Error x) {
                    failure = new IllegalStateException("a simulator event failed: " + x, x);
                }
                continue;
            }
            SimThread t = e.thread;
            if (!takesTurn(t, e)) {
                continue;
            }
            if (t == self && !exiting) {
                return false;
            }
            handTo(t);
            return true;
        }
    }

    /** Whether {@code e} gives {@code t} its turn now (else it is stale, or held while its host is paused). */
    private boolean takesTurn(SimThread t, Event e) {
        if (e.why == null) { // a start
            if (t.state != SimThread.State.RUNNABLE || t.started) {
                return false;
            }
        } else if (t.state != SimThread.State.PARKED || t.parkToken != e.token) {
            return false;
        }
        if (t.host.paused && !t.killed) {
            t.host.deferred.add(() -> turnAt(now + jitter(), t, e.token, e.why));
            return false;
        }
        if (e.why != null) {
            t.wake = e.why;
        }
        t.state = SimThread.State.RUNNING;
        return true;
    }

    /** Gives the turn to {@code t} (null: the driver). */
    private void handTo(SimThread t) {
        running = t;
        if (t == null) {
            driverTurn.release();
        } else if (!t.started) {
            t.started = true;
            carriers.execute(() -> carry(t));
        } else {
            t.turn.release();
        }
    }

    // ---------------------------------------------------------------- threads

    /** Starts a thread of {@code host} running {@code body}, soon. */
    SimThread spawn(Host host, String name, Runnable body) {
        if (!host.alive) {
            throw new SimCrash(host + " is down");
        }
        SimThread t = new SimThread(++threadIds, host.name + "/" + name, host, body);
        host.threads.add(t);
        t.state = SimThread.State.RUNNABLE;
        turnAt(now + jitter(), t, 0, null);
        return t;
    }

    private void carry(SimThread t) {
        t.bind();
        try {
            if (t.pendingInterrupt) {
                t.pendingInterrupt = false;
                Thread.currentThread().interrupt();
            }
            if (!t.killed) {
                t.body.run();
            }
        } catch (SimCrash c) {
            // the host died; the thread is gone with it
        } catch (Throwable e) {
            if (uncaught.size() < 20) {
                uncaught.add(t + ": " + e);
            }
            trace.line(now, t.host.name, "uncaught in " + t.name + ": " + e);
        } finally {
            Thread.interrupted();
            t.state = SimThread.State.DONE;
            t.host.threads.remove(t);
            t.unbind();
            loop(t, true);
        }
    }

    /** Prepares the current thread to park: wake-ups registered from now on are for that park. */
    long beginPark(SimThread t) {
        t.parkToken++;
        t.preWoken = null;
        t.wakePending = false;
        return t.parkToken;
    }

    /**
     * Blocks the current thread {@code t} until woken for park {@code token}, for at most
     * {@code timeoutNanos} (negative: no limit). Returns why it woke; throws {@link SimCrash} if its
     * host died meanwhile.
     */
    SimThread.Wake park(SimThread t, long token, long timeoutNanos, boolean interruptible) {
        if (t.killed) {
            throw new SimCrash(t.host + " is down");
        }
        if (interruptible && (t.pendingInterrupt || Thread.interrupted())) {
            t.pendingInterrupt = false;
            return SimThread.Wake.INTERRUPT;
        }
        SimThread.Wake w = t.preWoken;
        if (w == null) {
            if (timeoutNanos >= 0) {
                turnAt(now + timeoutNanos, t, token, SimThread.Wake.TIMEOUT);
            }
            t.state = SimThread.State.PARKED;
            t.interruptible = interruptible;
            if (loop(t, false)) {
                t.turn.acquireUninterruptibly();
            }
            w = t.wake;
        }
        t.preWoken = null;
        if (t.killed) {
            throw new SimCrash(t.host + " is down");
        }
        if (t.pendingInterrupt) {
            t.pendingInterrupt = false;
            if (interruptible) {
                return SimThread.Wake.INTERRUPT;
            }
            Thread.currentThread().interrupt();
        }
        return w;
    }

    /** Wakes {@code t} from park {@code token}, soon; a no-op if it has moved on. Callable from any simulated thread. */
    void signal(SimThread t, long token, SimThread.Wake why) {
        if (t.parkToken != token || t.state == SimThread.State.DONE) {
            return;
        }
        if (t.state == SimThread.State.RUNNING) {
            if (t.preWoken == null) {
                t.preWoken = why; // it has not parked yet: its park returns at once
            }
            return;
        }
        if (t.state == SimThread.State.PARKED && !t.wakePending) {
            t.wakePending = true;
            turnAt(now + jitter(), t, token, why);
        }
    }

    /** Interrupts {@code t} as {@link Thread#interrupt()} would. */
    void interrupt(SimThread t) {
        if (t.state == SimThread.State.DONE) {
            return;
        }
        if (t.state == SimThread.State.RUNNING) {
            if (t.carrier == Thread.currentThread()) {
                Thread.currentThread().interrupt();
            } else {
                t.pendingInterrupt = true;
            }
            return;
        }
        t.pendingInterrupt = true;
        if (t.state == SimThread.State.PARKED && t.interruptible) {
            signal(t, t.parkToken, SimThread.Wake.INTERRUPT);
        }
    }

    /** Kills every thread of {@code host}: each unwinds with a {@link SimCrash} at its next turn. */
    void kill(Host host) {
        host.alive = false;
        host.paused = false;
        List<Runnable> held = new ArrayList<>(host.deferred);
        host.deferred.clear();
        held.forEach(r -> after(0, r));
        for (SimThread t : new ArrayList<>(host.threads)) {
            t.killed = true;
            if (t.state == SimThread.State.PARKED) {
                turnAt(now, t, t.parkToken, SimThread.Wake.KILL);
            }
        }
    }

    void pause(Host host) {
        host.paused = true;
    }

    /** Lets a paused host run again: what came due meanwhile runs now, in order. */
    void resume(Host host) {
        if (!host.paused) {
            return;
        }
        host.paused = false;
        List<Runnable> held = new ArrayList<>(host.deferred);
        host.deferred.clear();
        for (Runnable r : held) {
            after(jitter(), r);
        }
    }

    /** Kills everything still running and lets the carriers go. */
    @Override
    public void close() {
        carriers.shutdownNow();
    }

    /** Thrown when a simulated thread blocked outside the simulator (on a monitor, a real lock or I/O). */
    static final class SimulationStuck extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SimulationStuck(SimThread t, Duration patience) {
            super("simulated thread " + t + " did not block through the simulator within " + patience.toSeconds()
                    + " s of real time: it waits outside it (a monitor, a real lock, I/O)" + stack(t));
        }

        private static String stack(SimThread t) {
            Thread c = t == null ? null : t.carrier;
            if (c == null) {
                return "";
            }
            StringBuilder sb = new StringBuilder();
            for (StackTraceElement e : c.getStackTrace()) {
                sb.append("\n    at ").append(e);
            }
            return sb.toString();
        }
    }
}
