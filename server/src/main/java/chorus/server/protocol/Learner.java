package chorus.server.protocol;

import chorus.api.InvalidRequestException;
import chorus.api.ViewChangeException;
import chorus.api.model.CatchUp;
import chorus.api.model.EventType;
import chorus.api.model.Role;
import chorus.api.model.View;
import chorus.server.membership.Membership;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An excluded replica's way back. While excluded and running, it copies the data from a member (a
 * learner): a snapshot in pages (values, versions and tombstones; the higher version wins), then the
 * commits the member applied meanwhile, from the member's change log; or, when the member knows
 * where the commits this replica missed begin, those alone. It then stays close by reading the log
 * again every half second.
 *
 * <p>Readmission (asked by an operator) proposes the view with this replica once it has caught up.
 * Commits of the epoch before may still land on the members until each learns the new view, so a
 * readmitted replica votes and reads only after a final sync: a member that knows the new view can
 * give no YES to an earlier epoch any more, so whatever of those epochs committed is in its log or
 * held there in doubt; this replica applies the one and takes over the other. A crash between the
 * agreement and the end of the final sync is covered by a durable mark.
 */
public final class Learner {

    private static final Logger LOG = LoggerFactory.getLogger(Learner.class);

    /** Keys or changes per page. */
    static final int PAGE = 1_000;
    /** How often a caught-up learner reads the member's log again. */
    static final Duration REFRESH = Duration.ofMillis(500);
    /** The store's record that marks a final sync still owed (a readmission was proposed). */
    static final String FINAL_SYNC_OWED = "catch-up-final";

    /** Where this replica's copy stands in a member's change log (valid within that member's incarnation). */
    private record Position(int source, long incarnation, long seq) {
    }

    private final int self;
    private final ReplicaStore store;
    private final Participant participant;
    private final Membership membership;
    private final PeerChannel channel;
    private final Scheduler scheduler;
    private final Clock clock;
    private final ExecutorService calls;
    private final EventLog events;
    private final Duration retry;
    private final BooleanSupplier paused;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean finishing = new AtomicBoolean();
    /** When the learning loop may next try to readmit this replica by itself (automatic membership). */
    private volatile long nextReadmissionNanos;
    private final Lock lock;
    private final Condition changed;
    private volatile CatchUp progress;
    private volatile Position position;
    private volatile boolean closed;

    /**
     * @param retry      how long to wait before trying again when no member could be copied from
     */
    public Learner(int self, ReplicaStore store, Participant participant, Membership membership, PeerChannel channel,
                   Scheduler scheduler, ExecutorService calls, EventLog events, Duration retry,
                   BooleanSupplier paused) {
        this.self = self;
        this.store = store;
        this.participant = participant;
        this.membership = membership;
        this.channel = channel;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.nextReadmissionNanos = clock.nanoTime();
        this.calls = calls;
        this.events = events;
        this.retry = retry;
        this.paused = paused;
        this.lock = scheduler.newLock();
        this.changed = lock.newCondition();
    }

    /** What the catch-up is doing, for the status; null when there is none. */
    public CatchUp progress() {
        return progress;
    }

    /**
     * Before a view with this replica readmitted becomes visible here: it must not vote, read or serve
     * another's final sync from the first moment, until its own final sync is done.
     */
    public void beforeVisible(View view) {
        if (view.isMember(self)) {
            pauseIfOwed();
        }
    }

    /** At start and at every view change: copies while excluded, finishes an owed final sync once a member. */
    public void onView(View view) {
        if (closed) {
            return;
        }
        if (view.isMember(self)) {
            if (pauseIfOwed()) {
                inBackground(finishing, () -> finish(view), this::finishDue);
            }
        } else {
            inBackground(running, this::learn, () -> !membership.current().isMember(self));
        }
    }

    /**
     * Pauses voting and reads if a final sync is owed. Checked and paused under the lock under which
     * the final sync's end clears the mark and resumes them: checked outside it, a final sync that
     * ended between the check and the pause left the replica paused for good, every read refused
     * with "applying the last commits of the epoch before" and no sync left to end it (a clean-clone
     * run of MembershipIT, 2026-12-07: readmit called onView once more while the sync it had started
     * was ending).
     */
    private boolean pauseIfOwed() {
        lock.lock();
        try {
            if (!finalSyncOwed()) {
                return false;
            }
            membership.votingPaused("replica " + self + " was readmitted and is applying the last commits of the epoch before");
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean finishDue() {
        return membership.current().isMember(self) && finalSyncOwed();
    }

    public void close() {
        closed = true;
    }

    /**
     * Runs {@code task} in the background unless it runs already. When it ends and {@code due} still
     * holds, it runs again: a call that found it running while it was on its way out (its loop had
     * just found nothing to do) would otherwise be lost.
     */
    private void inBackground(AtomicBoolean flag, Runnable task, BooleanSupplier due) {
        if (!flag.compareAndSet(false, true)) {
            return;
        }
        try {
            calls.execute(() -> {
                try {
                    task.run();
                } finally {
                    flag.set(false);
                }
                if (!closed && due.getAsBoolean()) {
                    inBackground(flag, task, due);
                }
            });
        } catch (RejectedExecutionException e) {
            flag.set(false); // closing
        }
    }

    /** Marks durably that a final sync is owed, before the readmission is proposed (see {@link #finishFrom}). */
    private void oweFinalSync() {
        lock.lock();
        try {
            store.saveMeta(FINAL_SYNC_OWED, new byte[] {1});
        } finally {
            lock.unlock();
        }
    }

    /** A readmission was proposed and its final sync is not done (an empty record: done). */
    private boolean finalSyncOwed() {
        return store.meta(FINAL_SYNC_OWED).map(b -> b.length > 0).orElse(false);
    }

    // ---------------------------------------------------------------- while excluded

    private void learn() {
        try {
            while (!closed && !membership.current().isMember(self)) {
                if (paused.getAsBoolean()) {
                    report(new CatchUp(CatchUp.Phase.WAITING, 0, 0, 0, "replica " + self + " is in simulated failure"));
                    scheduler.sleep(retry.toNanos());
                    continue;
                }
                try {
                    pass(membership.current());
                    readmitByItself();
                    scheduler.sleep(REFRESH.toNanos());
                } catch (Abandoned e) {
                    return; // a member again: the final sync takes over
                } catch (CopyFailed e) {
                    report(new CatchUp(CatchUp.Phase.WAITING, 0, 0, 0, e.getMessage()));
                    scheduler.sleep(retry.toNanos());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * With automatic membership on, a replica that has caught up readmits itself, provided it hears
     * every member; after a failed attempt it waits a while before the next (the failure is an event).
     */
    private void readmitByItself() throws InterruptedException {
        if (!membership.readmitsItself() || paused.getAsBoolean() || clock.nanoTime() - nextReadmissionNanos < 0
                || !membership.hearsEveryMember()) {
            return;
        }
        try {
            readmit(membership.changeTime(), " by itself, caught up (automatic membership)");
        } catch (InvalidRequestException | ViewChangeException | RuntimeException e) {
            // Not agreed in time (an event says so), or a record could not be written (a full disk).
            nextReadmissionNanos = clock.nanoTime() + membership.changeTime().toNanos();
            LOG.info("replica {} did not readmit itself: {}", self, e.getMessage());
        }
    }

    /** One pass: copy from the first member that answers until its log has nothing newer. */
    private void pass(View view) throws CopyFailed, Abandoned, InterruptedException {
        StringBuilder why = new StringBuilder();
        for (int source : view.members()) {
            if (source == self) {
                continue;
            }
            try {
                copyFrom(source);
                return;
            } catch (InterruptedException | Abandoned e) {
                throw e;
            } catch (Exception e) {
                why.append(why.length() == 0 ? "" : "; ").append("replica ").append(source).append(": ").append(Calls.describe(e));
            }
        }
        throw new CopyFailed("no member to copy from (" + why + ")");
    }

    private void copyFrom(int source) throws Exception {
        CatchUpStart start = channel.catchUpStart(source, self);
        Position p = position;
        long after = -1;
        if (p != null && p.source() == source && p.incarnation() == start.incarnation()) {
            after = p.seq();
        } else if (start.missedAfter() >= 0 && !finalSyncOwed()) {
            // Where the source saw this replica left out: valid only if this replica held every
            // commit then, which a readmission whose final sync never finished did not ensure.
            after = start.missedAfter();
        }
        if (after < 0 || !changes(start, after, LEARNING)) {
            snapshot(start, LEARNING);
            if (!changes(start, start.lastSeq(), LEARNING)) {
                throw new IllegalStateException("replica " + source + "'s change log no longer holds what followed its snapshot");
            }
        }
        // A member that restarted meanwhile may number its changes anew: the position would lie.
        if (channel.catchUpStart(source, self).incarnation() != start.incarnation()) {
            position = null;
            throw new IllegalStateException("replica " + source + " restarted while this replica copied from it");
        }
        report(new CatchUp(CatchUp.Phase.CAUGHT_UP, source, start.keyCount(), start.keyCount(), ""), LEARNING);
    }

    private void snapshot(CatchUpStart start, boolean learning) throws Exception {
        int source = start.source();
        long copied = 0;
        report(new CatchUp(CatchUp.Phase.SNAPSHOT, source, 0, start.keyCount(), ""), learning);
        String after = "";
        while (true) {
            List<StoredEntry> page = channel.snapshotPage(source, after, PAGE);
            install(page, learning);
            FaultPoint.LEARNER_AFTER_SNAPSHOT_PAGE.hit(self, null);
            copied += page.size();
            report(new CatchUp(CatchUp.Phase.SNAPSHOT, source, copied, Math.max(copied, start.keyCount()), ""), learning);
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }
        LOG.info("replica {} copied {} keys from replica {}", self, copied, source);
    }

    /** Applies the source's changes after {@code after} until its log has nothing newer; false if it no longer holds them. */
    private boolean changes(CatchUpStart start, long after, boolean learning) throws Exception {
        int source = start.source();
        if (learning) {
            report(new CatchUp(CatchUp.Phase.CHANGES, source, start.keyCount(), start.keyCount(), ""), true);
        }
        long at = after;
        while (true) {
            ChangesPage page = channel.changesAfter(source, at, PAGE);
            if (page.truncated()) {
                return false;
            }
            install(page.changes().stream().map(c -> new StoredEntry(c.key(), c.value(), c.version())).toList(), learning);
            at = page.nextAfterSeq();
            if (page.reachedEnd()) {
                break;
            }
        }
        store.sync();
        position = new Position(source, start.incarnation(), at);
        return true;
    }

    /**
     * Installs copied entries; while learning, only as long as this replica is no member (once
     * readmitted, the final sync alone writes here, before it votes).
     */
    private void install(List<StoredEntry> entries, boolean learning) throws Abandoned {
        if (learning && membership.current().isMember(self)) {
            throw new Abandoned();
        }
        if (entries.isEmpty()) {
            return;
        }
        participant.install(entries);
    }

    /** Reports progress of the learning loop, unless this replica is a member again. */
    private void report(CatchUp p, boolean learning) throws Abandoned {
        if (learning && membership.current().isMember(self)) {
            throw new Abandoned();
        }
        report(p);
    }

    private void report(CatchUp p) {
        lock.lock();
        try {
            progress = p;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- readmission

    /**
     * Waits until this replica has caught up, has a majority agree the view with it, and finishes
     * the final sync, all within {@code within}; returns the agreed view.
     */
    public View readmit(Duration within) throws InvalidRequestException, ViewChangeException, InterruptedException {
        return readmit(within, " at an operator's request");
    }

    private View readmit(Duration within, String why) throws InvalidRequestException, ViewChangeException, InterruptedException {
        long deadline = clock.nanoTime() + within.toNanos();
        View current = membership.current();
        if (current.isMember(self) && !finalSyncOwed()) {
            return current;
        }
        if (!current.isMember(self)) {
            onView(current);
            awaitPhase(deadline, CatchUp.Phase.CAUGHT_UP);
            oweFinalSync();
            report(new CatchUp(CatchUp.Phase.READMITTING, progress.source(), progress.copied(), progress.total(), ""));
            long left = Math.max(1, deadline - clock.nanoTime());
            current = membership.readmitSelf(Duration.ofNanos(left), why);
        }
        onView(current);
        awaitReady(deadline);
        return current;
    }

    private void awaitPhase(long deadline, CatchUp.Phase wanted) throws ViewChangeException, InterruptedException {
        lock.lock();
        try {
            while (progress == null || progress.phase() != wanted) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    CatchUp p = progress;
                    throw new ViewChangeException("replica " + self + " has not caught up yet ("
                            + (p == null ? "not started" : p.describe()) + "); ask again");
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the final sync within the deadline; if it takes longer, it goes on in the background. */
    private void awaitReady(long deadline) throws InterruptedException {
        lock.lock();
        try {
            while (progress != null) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The final sync, from each member of the current view in turn until one serves it. The view is
     * read afresh for every attempt: a sync still running when this replica was excluded and
     * readmitted again would otherwise finish for the older view and fence only its epoch.
     */
    private void finish(View readmittedIn) {
        try {
            while (!closed && finishDue()) {
                View view = membership.current();
                StringBuilder why = new StringBuilder();
                for (int source : view.members()) {
                    if (source == self) {
                        continue;
                    }
                    try {
                        finishFrom(source, view);
                        return;
                    } catch (InterruptedException e) {
                        throw e;
                    } catch (Exception e) {
                        why.append(why.length() == 0 ? "" : "; ").append("replica ").append(source).append(": ")
                                .append(Calls.describe(e));
                    }
                    if (!membership.current().equals(view)) {
                        break; // the view changed meanwhile: sync for the new one
                    }
                }
                if (!membership.current().equals(view)) {
                    continue;
                }
                LOG.warn("replica {}: final sync after readmission in {} not done yet ({}); trying again", self, readmittedIn.text(), why);
                report(new CatchUp(CatchUp.Phase.FINAL, 0, 0, 0, why.toString()));
                scheduler.sleep(retry.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finishFrom(int source, View view) throws Exception {
        report(new CatchUp(CatchUp.Phase.FINAL, source, 0, 0, ""));
        FaultPoint.LEARNER_AFTER_READMISSION.hit(self, null);
        FinalSync sync = channel.finalSync(source, view);
        CatchUpStart start = new CatchUpStart(source, sync.incarnation(), sync.lastSeq(), 0, -1);
        Position p = position;
        if (p == null || p.source() != source || p.incarnation() != sync.incarnation() || !changes(start, p.seq(), FINISHING)) {
            CatchUpStart fresh = channel.catchUpStart(source, self);
            snapshot(fresh, FINISHING);
            if (!changes(fresh, fresh.lastSeq(), FINISHING)) {
                throw new IllegalStateException("replica " + source + "'s change log no longer holds what followed its snapshot");
            }
        }
        int adopted = participant.adopt(sync.inDoubt());
        store.sync();
        lock.lock();
        try {
            // Checked under the lock that a readmission marks its owed sync with: a sync done for a
            // view that is no longer the current one is done again (what it installed and took over
            // stays: both are idempotent).
            if (!membership.current().equals(view)) {
                throw new IllegalStateException("the view changed from " + view.text() + " to " + membership.current().text()
                        + " during the final sync");
            }
            store.saveMeta(FINAL_SYNC_OWED, new byte[0]);
            membership.votingResumed();
            progress = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        events.record(Role.MEMBERSHIP, EventType.VIEW_CHANGED, null, self, List.of(), "",
                "replica " + self + " finished its catch-up from replica " + source + " and votes and reads in " + view.text()
                        + (adopted > 0 ? "; it took over " + adopted + " transactions in doubt there" : ""), -1);
    }

    private static final boolean LEARNING = true;
    private static final boolean FINISHING = false;

    /** The learning loop stops: this replica is a member again. */
    private static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super(null, null, false, false);
        }
    }

    /** A pass that found no member to copy from. */
    private static final class CopyFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CopyFailed(String message) {
            super(message);
        }
    }
}
