package chorus.server.membership;

import chorus.api.config.MembershipSettings;
import chorus.api.model.View;
import chorus.server.protocol.Clock;
import chorus.server.protocol.Scheduler;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * This replica's read lease: asked of every configured replica every quarter lease, held while a
 * majority granted it. It runs from the moment the request left, minus the drift margin, so it ends
 * before any grantor's grant does (each grant runs from when it arrived there).
 */
final class LeaseKeeper {

    /** Tells the event log when the lease is lost or held again. */
    interface Reporter {
        void changed(boolean held, String why);
    }

    private final int self;
    private final List<Integer> configured;
    private final ViewAcceptor local;
    private final MembershipChannel channel;
    private final Scheduler scheduler;
    private final Clock clock;
    private final ExecutorService calls;
    private final long leaseNanos;
    private final long marginNanos;
    private final BooleanSupplier paused;
    private final Reporter reporter;
    private final Contacts contacts;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final Lock lock;
    private final Condition granted;
    // Guarded by lock.
    private long validUntilNanos;
    private boolean everHeld;
    private boolean reportedHeld;
    private boolean lostOnce;
    private String problem = "no lease asked for yet";

    LeaseKeeper(int self, List<Integer> configured, ViewAcceptor local, MembershipChannel channel, Scheduler scheduler,
                ExecutorService calls, MembershipSettings settings, BooleanSupplier paused, Contacts contacts, Reporter reporter) {
        this.self = self;
        this.configured = List.copyOf(configured);
        this.local = local;
        this.channel = channel;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.calls = calls;
        this.leaseNanos = settings.lease().toNanos();
        this.marginNanos = settings.leaseMargin().toNanos();
        this.paused = paused;
        this.reporter = reporter;
        this.contacts = contacts;
        this.lock = scheduler.newLock();
        this.granted = lock.newCondition();
    }

    /** One round of renewal, unless one is still out or this replica plays dead (its lease must then run out). */
    void renew() {
        if (paused.getAsBoolean()) {
            contacts.forget();
        }
        if (paused.getAsBoolean() || !renewing.compareAndSet(false, true)) {
            lapseCheck();
            return;
        }
        try {
            View mine = local.view();
            long start = clock.nanoTime();
            Quorum.Round<LeaseAnswer> round = Quorum.ask(configured,
                    r -> r == self ? local.grantLease(self, mine) : heard(r, channel.grantLease(r, self, mine)),
                    LeaseAnswer::granted, leaseNanos / 4, scheduler, calls);
            round.answers().values().stream().map(LeaseAnswer::agreed)
                    .filter(v -> v.epoch() > local.view().epoch())
                    .max((a, b) -> Long.compare(a.epoch(), b.epoch()))
                    .ifPresent(this::learn);
            int grants = round.count(LeaseAnswer::granted);
            lock.lock();
            try {
                if (grants >= Quorum.majority(configured.size())) {
                    validUntilNanos = Math.max(validUntilNanos, start + leaseNanos - marginNanos);
                    everHeld = true;
                    granted.signalAll();
                } else {
                    problem = describe(round, grants);
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            renewing.set(false);
        }
        lapseCheck();
    }

    /** Notes every answer as it comes, including those that come after the round has its majority. */
    private LeaseAnswer heard(int replica, LeaseAnswer answer) {
        contacts.heard(replica);
        return answer;
    }

    /** Keeps a newer view that a grantor told of; a failed write (a full disk) leaves it for the next renewal. */
    private void learn(View view) {
        try {
            local.learn(view);
        } catch (RuntimeException e) {
            lock.lock();
            try {
                problem = "could not record " + view.text() + ": " + e.getMessage();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Reports a change of holding since the last report. */
    private void lapseCheck() {
        boolean held;
        String why;
        lock.lock();
        try {
            held = validNow();
            if (held == reportedHeld || (!held && !everHeld)) {
                return;
            }
            boolean first = held && !lostOnce;
            reportedHeld = held;
            lostOnce |= !held;
            if (first) {
                return; // the first lease after a start is no news; only losing it and getting it back are
            }
            why = problem;
        } finally {
            lock.unlock();
        }
        reporter.changed(held, why);
    }

    boolean valid() {
        lock.lock();
        try {
            return validNow();
        } finally {
            lock.unlock();
        }
    }

    private boolean validNow() {
        return everHeld && validUntilNanos - clock.nanoTime() > 0;
    }

    /** Waits at most {@code timeoutNanos} for a valid lease; whether there is one. */
    boolean await(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (!validNow()) {
                if (left <= 0) {
                    return false;
                }
                // Wake at the latest when the wait ends; a renewal signals sooner.
                left = granted.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How much of the lease is left, in milliseconds (0 without one). */
    long remainingMillis() {
        lock.lock();
        try {
            return validNow() ? (validUntilNanos - clock.nanoTime()) / 1_000_000 : 0;
        } finally {
            lock.unlock();
        }
    }

    String problem() {
        lock.lock();
        try {
            return problem;
        } finally {
            lock.unlock();
        }
    }

    private String describe(Quorum.Round<LeaseAnswer> round, int grants) {
        StringBuilder sb = new StringBuilder("granted by " + grants + " of " + configured.size() + " replicas, "
                + Quorum.majority(configured.size()) + " needed");
        round.answers().values().stream().filter(a -> !a.granted()).forEach(a -> sb.append("; ").append(a.reason()));
        round.failures().forEach((r, why) -> sb.append("; replica ").append(r).append(" unreachable: ").append(why));
        return sb.toString();
    }
}
