package chorus.sim;

import java.util.concurrent.Semaphore;

/**
 * A thread of the simulated world. Each runs on a real thread of its own (a carrier), but only
 * when the simulator hands it the turn, and only one at a time: it runs until it blocks through
 * the simulator (a lock, a condition, a future, a sleep, a network call) or ends, and then hands
 * the turn back. Which thread runs next, and when, is the simulator's choice, drawn from its seed.
 */
final class SimThread {

    enum State { NEW, RUNNABLE, RUNNING, PARKED, DONE }

    /** Why a parked thread was resumed. */
    enum Wake { SIGNAL, TIMEOUT, INTERRUPT, KILL }

    private static final ThreadLocal<SimThread> CURRENT = new ThreadLocal<>();

    final long id;
    final String name;
    final Host host;
    final Runnable body;
    final Semaphore turn = new Semaphore(0);
    State state = State.NEW;
    /** Incremented by every park: a wake-up meant for an earlier park is ignored. */
    long parkToken;
    /** A wake-up that arrived (for the coming park) while the thread was still running. */
    Wake preWoken;
    /** A wake-up is on its way for the current park. */
    boolean wakePending;
    Wake wake;
    boolean interruptible;
    /** An interrupt that arrived while parked where interrupts are not heard. */
    boolean pendingInterrupt;
    boolean killed;
    Thread carrier;
    boolean started;

    SimThread(long id, String name, Host host, Runnable body) {
        this.id = id;
        this.name = name;
        this.host = host;
        this.body = body;
    }

    static SimThread current() {
        SimThread t = CURRENT.get();
        if (t == null) {
            throw new IllegalStateException("not on a simulated thread: " + Thread.currentThread().getName()
                    + " (protocol code must run inside the simulator)");
        }
        return t;
    }

    static SimThread currentOrNull() {
        return CURRENT.get();
    }

    void bind() {
        CURRENT.set(this);
        carrier = Thread.currentThread();
    }

    void unbind() {
        CURRENT.remove();
        carrier = null;
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
