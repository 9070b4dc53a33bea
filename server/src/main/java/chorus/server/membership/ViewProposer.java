package chorus.server.membership;

import chorus.api.InvalidRequestException;
import chorus.api.ViewChangeException;
import chorus.api.model.View;
import chorus.server.protocol.Clock;
import chorus.server.protocol.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.stream.Collectors;

/**
 * Proposes the next view (Paxos over the configured replicas, one agreement per epoch): learns the
 * latest agreed view from a majority and the view a majority may already have accepted for the next
 * epoch (phase one), then has a majority accept the view (phase two), then tells everyone. If
 * another proposal was already accepted for the epoch, that one is finished first and the change is
 * tried again in the epoch after. A minority can never agree a view: two views of one epoch would
 * need two majorities that share no replica.
 */
public final class ViewProposer {

    /** What a change makes of the current view; the current view itself when there is nothing to do. */
    @FunctionalInterface
    public interface Change {
        View next(View current) throws InvalidRequestException;
    }

    /** The view agreed in the end, who accepted it, and whether this call changed anything. */
    public record Outcome(View view, List<Integer> acceptedBy, boolean changed) {
    }

    /** Reports each agreed view to the event log: the view, who proposed it, who accepted it, and why. */
    @FunctionalInterface
    public interface Reporter {
        void agreed(View view, List<Integer> acceptedBy, String why);
    }

    private final int self;
    private final List<Integer> configured;
    private final ViewAcceptor local;
    private final MembershipChannel channel;
    private final Scheduler scheduler;
    private final Clock clock;
    private final ExecutorService calls;
    private final Duration callTimeout;
    private final Reporter reporter;
    /** One proposal at a time from this replica: {@code busy} under {@code lock}, waited for on {@code idle}. */
    private final Lock lock;
    private final Condition idle;
    private boolean busy;
    private Ballot highestSeen = Ballot.NONE;

    public ViewProposer(int self, List<Integer> configured, ViewAcceptor local, MembershipChannel channel, Scheduler scheduler,
                        ExecutorService calls, Duration callTimeout, Reporter reporter) {
        this.self = self;
        this.configured = List.copyOf(configured);
        this.local = local;
        this.channel = channel;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.calls = calls;
        this.callTimeout = callTimeout;
        this.reporter = reporter;
        this.lock = scheduler.newLock();
        this.idle = lock.newCondition();
    }

    /**
     * Agrees the view that {@code change} makes of the latest agreed one, within {@code within}.
     *
     * @param what how the change is named in errors and events ("exclude replica 3")
     * @throws InvalidRequestException the change does not apply to the current view (the message says why)
     * @throws ViewChangeException     no majority agreed in time; the message names who refused and why
     */
    public Outcome propose(String what, Change change, Duration within)
            throws InvalidRequestException, ViewChangeException, InterruptedException {
        long deadline = clock.nanoTime() + within.toNanos();
        lock.lock();
        try {
            long left = within.toNanos();
            while (busy) {
                if (left <= 0) {
                    throw new ViewChangeException(what + ": another view change from replica " + self + " took all of "
                            + within.toMillis() + " ms");
                }
                left = idle.awaitNanos(left);
            }
            busy = true;
        } finally {
            lock.unlock();
        }
        try {
            return proposeLocked(what, change, deadline);
        } finally {
            lock.lock();
            try {
                busy = false;
                idle.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    private Outcome proposeLocked(String what, Change change, long deadline)
            throws InvalidRequestException, ViewChangeException, InterruptedException {
        String lastProblem = "no attempt finished";
        for (int attempt = 1; ; attempt++) {
            View current = local.view();
            View target = change.next(current);
            if (target.equals(current)) {
                return new Outcome(current, List.of(), false);
            }
            if (target.epoch() != current.epoch() + 1) {
                throw new IllegalStateException(what + " made " + target.text() + " of " + current.text() + ": a change is one epoch");
            }
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                throw new ViewChangeException(what + ": not agreed within the time given (" + lastProblem + ")");
            }
            Ballot ballot = Ballot.after(highestSeen, self);
            highestSeen = ballot;
            // Phase one: a majority's promises, and what they accepted for this epoch.
            long epoch = current.epoch() + 1;
            Quorum.Round<Promise> promises = Quorum.ask(configured,
                    r -> r == self ? local.promise(epoch, ballot) : channel.promiseView(r, epoch, ballot),
                    Promise::granted, Math.min(left, callTimeout.toNanos()), scheduler, calls);
            if (learnNewer(promises.answers().values().stream().map(Promise::agreed).toList())) {
                continue;
            }
            teachBehind(current, promises.answers());
            promises.answers().values().forEach(p -> seen(p.promised()));
            if (promises.count(Promise::granted) < Quorum.majority(configured.size())) {
                lastProblem = "phase one: " + problems(promises, Promise::granted, Promise::reason);
                backOff(attempt, deadline);
                continue;
            }
            View proposal = promises.answers().values().stream()
                    .filter(p -> p.granted() && p.accepted() != null)
                    .max((a, b) -> a.acceptedBallot().compareTo(b.acceptedBallot()))
                    .map(Promise::accepted).orElse(target);
            // Phase two.
            left = deadline - clock.nanoTime();
            Quorum.Round<Acceptance> acceptances = Quorum.ask(configured,
                    r -> r == self ? local.accept(ballot, proposal) : channel.acceptView(r, ballot, proposal),
                    Acceptance::granted, Math.max(1, Math.min(left, callTimeout.toNanos())), scheduler, calls);
            List<Integer> acceptedBy = acceptances.answers().values().stream().filter(Acceptance::granted).map(Acceptance::from).toList();
            if (acceptedBy.size() >= Quorum.majority(configured.size())) {
                local.learn(proposal);
                tellEveryone(proposal, deadline);
                boolean ours = proposal.members().equals(target.members());
                reporter.agreed(proposal, acceptedBy, ours ? what + " (proposed by replica " + self + ")"
                        : "a view accepted earlier for epoch " + proposal.epoch() + ", finished by replica " + self + " before " + what);
                if (ours) {
                    return new Outcome(proposal, acceptedBy, true);
                }
                continue;
            }
            if (learnNewer(acceptances.answers().values().stream().map(Acceptance::agreed).toList())) {
                continue;
            }
            lastProblem = "phase two: " + problems(acceptances, Acceptance::granted, Acceptance::reason);
            long leaseWait = acceptances.answers().values().stream().mapToLong(Acceptance::retryAfterMillis).max().orElse(0);
            if (leaseWait > 0) {
                // A lease of the replica to leave out still runs: nothing to do but wait it out.
                long wait = Math.min(TimeUnit.MILLISECONDS.toNanos(leaseWait), deadline - clock.nanoTime());
                if (wait > 0) {
                    scheduler.sleep(wait);
                }
            } else {
                backOff(attempt, deadline);
            }
        }
    }

    /** Learns the newest agreed view among {@code views} if it is newer than ours; whether it was. */
    private boolean learnNewer(List<View> views) {
        View newest = views.stream().max((a, b) -> Long.compare(a.epoch(), b.epoch())).orElse(null);
        return newest != null && local.learn(newest);
    }

    /** Replicas that answered with an older agreed view learn ours, in the background. */
    private void teachBehind(View current, Map<Integer, Promise> answers) {
        for (Promise p : answers.values()) {
            if (p.agreed().epoch() < current.epoch() && p.from() != self) {
                tell(p.from(), current);
            }
        }
    }

    /**
     * Tells every replica of the new view and waits (at most a call timeout, and not past the
     * deadline) until those that answer have it, so that writes right after the caller's answer
     * find the coordinators in the new view. A replica that is down learns it later.
     */
    private void tellEveryone(View view, long deadline) throws InterruptedException {
        List<Integer> others = configured.stream().filter(r -> r != self).toList();
        long wait = Math.min(callTimeout.toNanos(), Math.max(1, deadline - clock.nanoTime()));
        Quorum.ask(others, r -> {
            channel.learnView(r, view);
            return Boolean.TRUE;
        }, told -> false, wait, scheduler, calls);
    }

    private void tell(int replica, View view) {
        try {
            calls.execute(() -> {
                try {
                    channel.learnView(replica, view);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    // It learns the view later: from the next message of the new epoch, or its lease requests.
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void seen(Ballot b) {
        if (b != null && b.above(highestSeen)) {
            highestSeen = b;
        }
    }

    /** Competing proposers back off by different, growing, random amounts, so that one gets through. */
    private void backOff(int attempt, long deadline) throws InterruptedException {
        long base = TimeUnit.MILLISECONDS.toNanos(20L << Math.min(attempt, 5));
        long wait = Math.min(base / 2 + scheduler.random().nextLong(base), deadline - clock.nanoTime());
        if (wait > 0) {
            scheduler.sleep(wait);
        }
    }

    private static <T> String problems(Quorum.Round<T> round, java.util.function.Predicate<T> granted,
                                       java.util.function.Function<T, String> reason) {
        List<String> parts = new ArrayList<>();
        round.answers().forEach((r, a) -> {
            if (!granted.test(a)) {
                parts.add(reason.apply(a));
            }
        });
        round.failures().forEach((r, why) -> parts.add("replica " + r + " unreachable: " + why));
        return parts.isEmpty() ? "no majority" : parts.stream().collect(Collectors.joining("; "));
    }
}
