package chorus.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A reentrant lock of the simulated world: a thread that finds it held parks through the
 * simulator, and an unlock hands it to the longest waiting thread.
 */
final class SimLock implements Lock {

    private final Sim sim;
    private final ArrayDeque<SimThread> queue = new ArrayDeque<>();
    private SimThread owner;
    private int holds;

    SimLock(Sim sim) {
        this.sim = sim;
    }

    @Override
    public void lock() {
        SimThread t = SimThread.current();
        acquire(t, 1);
    }

    private void acquire(SimThread t, int count) {
        if (owner == null) {
            owner = t;
            holds = count;
            return;
        }
        if (owner == t) {
            holds += count;
            return;
        }
        queue.addLast(t);
        try {
            while (owner != t) {
                long token = sim.beginPark(t);
                sim.park(t, token, -1, false);
            }
        } catch (SimCrash c) {
            queue.remove(t);
            if (owner == t) {
                owner = null;
                handOn();
            }
            throw c;
        }
        holds = count;
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        lock();
    }

    @Override
    public boolean tryLock() {
        SimThread t = SimThread.current();
        if (owner == null || owner == t) {
            acquire(t, 1);
            return true;
        }
        return false;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) {
        throw new UnsupportedOperationException("timed tryLock is not simulated");
    }

    @Override
    public void unlock() {
        SimThread t = SimThread.current();
        if (owner != t) {
            if (t.killed) {
                throw new SimCrash(t.host + " is down"); // unwinding a wait the crash cut short
            }
            throw new IllegalMonitorStateException(t + " does not hold this lock");
        }
        if (--holds == 0) {
            owner = null;
            handOn();
        }
    }

    /** Releases every hold of {@code t} (for a condition wait); returns how many to take back. */
    int releaseAll(SimThread t) {
        if (owner != t) {
            throw new IllegalMonitorStateException(t + " does not hold this lock");
        }
        int n = holds;
        holds = 0;
        owner = null;
        handOn();
        return n;
    }

    void reacquire(SimThread t, int count) {
        acquire(t, count);
    }

    private void handOn() {
        SimThread next = queue.pollFirst();
        if (next != null) {
            owner = next;
            sim.signal(next, next.parkToken, SimThread.Wake.SIGNAL);
        }
    }

    @Override
    public Condition newCondition() {
        return new SimCondition();
    }

    /** A condition of this lock: await releases the lock, parks, and takes the lock back. */
    private final class SimCondition implements Condition {

        private final List<SimThread> waiters = new ArrayList<>();

        @Override
        public void await() throws InterruptedException {
            if (awaitFor(-1) == SimThread.Wake.INTERRUPT) {
                throw new InterruptedException();
            }
        }

        @Override
        public long awaitNanos(long nanos) throws InterruptedException {
            long deadline = sim.now() + Math.max(0, nanos);
            if (awaitFor(Math.max(0, nanos)) == SimThread.Wake.INTERRUPT) {
                throw new InterruptedException();
            }
            return deadline - sim.now();
        }

        private SimThread.Wake awaitFor(long nanos) {
            SimThread t = SimThread.current();
            int count = releaseAll(t);
            waiters.add(t);
            long token = sim.beginPark(t);
            SimThread.Wake w;
            try {
                w = sim.park(t, token, nanos, true);
            } finally {
                waiters.remove(t);
            }
            reacquire(t, count);
            return w;
        }

        @Override
        public void awaitUninterruptibly() {
            throw new UnsupportedOperationException("not simulated");
        }

        @Override
        public boolean await(long time, TimeUnit unit) throws InterruptedException {
            return awaitNanos(unit.toNanos(time)) > 0;
        }

        @Override
        public boolean awaitUntil(java.util.Date deadline) {
            throw new UnsupportedOperationException("wall-clock deadlines are not simulated");
        }

        @Override
        public void signal() {
            if (!waiters.isEmpty()) {
                SimThread t = waiters.remove(0);
                sim.signal(t, t.parkToken, SimThread.Wake.SIGNAL);
            }
        }

        @Override
        public void signalAll() {
            for (SimThread t : waiters) {
                sim.signal(t, t.parkToken, SimThread.Wake.SIGNAL);
            }
            waiters.clear();
        }
    }
}
