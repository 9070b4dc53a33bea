package chorus.console.service;

import chorus.api.ReplicaAdmin;
import chorus.api.model.ContentsPage;
import chorus.api.model.EventBatch;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.KeyEntry;
import chorus.api.model.MembershipStatus;
import chorus.api.model.ReplicaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one replica on its own thread: status and membership, then the new events of its log, then
 * its contents when they may have changed, then its transactions in doubt. A replica that does not answer is
 * reported unreachable and is tried again at every tick, which reconnects it when it comes back. A
 * restart (new start time, or a log that went backwards) resets the event cursor.
 */
final class ReplicaWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaWatcher.class);
    private static final int EVENT_PAGE = 2000;
    private static final int CONTENTS_PAGE = ReplicaAdmin.MAX_PAGE;
    /**
     * Replicas of protocol version 1 have no membership views and no members() call: asking would
     * fail as an unknown remote method, and the replica would look unreachable.
     */
    private static final int MEMBERSHIP_SINCE_PROTOCOL = 2;

    private final ReplicaLink link;
    private final ConsoleTimeouts timeouts;
    private final ClusterListener listener;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;

    private ScheduledFuture<?> ticking;
    private ReplicaStatus lastStatus;
    private MembershipStatus lastMembership;
    private long eventCursor;
    private long startedAt = -1;
    private long contentsSeq = -1;
    private long contentsLoadedAt;
    private long contentsLoadMillis;
    private boolean hadInDoubt = true;
    private String lastProblem = "";
    private volatile boolean closed;

    ReplicaWatcher(ReplicaLink link, ConsoleTimeouts timeouts, ClusterListener listener,
                   ScheduledExecutorService scheduler, LongSupplier clock) {
        this.link = link;
        this.timeouts = timeouts;
        this.listener = listener;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    void start() {
        ticking = scheduler.scheduleWithFixedDelay(this::tick, 0, timeouts.poll().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls once more as soon as the current tick is done. */
    void pollSoon() {
        if (!closed) {
            scheduler.execute(this::tick);
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        if (link.abandonedCalls() > 0) {
            // An earlier call is still stuck on a frozen replica: do not pile up more threads on it.
            reportUnreachable(lastProblem.isEmpty() ? "replica " + link.address().id() + " is not answering" : lastProblem);
            return;
        }
        try {
            ReplicaStatus status = link.call(c -> c.admin().status(), timeouts.call());
            if (status.startedAtMillis() != startedAt) {
                if (startedAt != -1) {
                    LOG.info("replica {} restarted; reading its event log from the start", status.id());
                }
                startedAt = status.startedAtMillis();
                eventCursor = 0;
                contentsSeq = -1;
            } else if (status.lastEventSeq() < eventCursor) {
                eventCursor = 0;
            }
            // Asked at every poll, not only after an event: a lease runs out and a learner copies keys
            // without recording anything.
            MembershipStatus membership = status.protocolVersion() < MEMBERSHIP_SINCE_PROTOCOL ? null
                    : link.call(c -> c.admin().members(), timeouts.call());
            lastStatus = status;
            lastMembership = membership;
            lastProblem = "";
            listener.replicaUpdated(new ReplicaSnapshot(link.address(), ReplicaHealth.UP, status, "", clock.getAsLong(),
                    membership));
            readEvents();
            readContentsIfChanged(status);
            readInDoubt(status);
        } catch (Exception e) {
            if (e instanceof RuntimeException) {
                LOG.warn("polling replica {} failed", link.address().id(), e);
            }
            reportUnreachable(Failures.describe(e));
        }
    }

    private void reportUnreachable(String problem) {
        lastProblem = problem;
        listener.replicaUpdated(new ReplicaSnapshot(link.address(), ReplicaHealth.UNREACHABLE, lastStatus, problem,
                clock.getAsLong(), lastMembership));
    }

    private void readEvents() throws Exception {
        while (!closed) {
            long after = eventCursor;
            EventBatch batch = link.call(c -> c.admin().events(after, EVENT_PAGE), timeouts.call());
            eventCursor = batch.cursor();
            if (!batch.events().isEmpty() || batch.missed() > 0) {
                listener.eventsArrived(link.address().id(), batch.events(), batch.missed());
            }
            if (batch.events().size() < EVENT_PAGE) {
                return;
            }
        }
    }

    private void readContentsIfChanged(ReplicaStatus status) throws Exception {
        long now = clock.getAsLong();
        boolean changed = status.lastEventSeq() != contentsSeq;
        // Reading 100,000 keys takes a while: wait at least twice as long as the last read took.
        long pause = Math.max(timeouts.contentsInterval().toMillis(), 2 * contentsLoadMillis);
        if (!changed || (contentsSeq != -1 && now - contentsLoadedAt < pause)) {
            return;
        }
        List<KeyEntry> all = new ArrayList<>();
        String after = "";
        while (after != null && !closed) {
            String from = after;
            ContentsPage page = link.call(c -> c.admin().contents(from, CONTENTS_PAGE), timeouts.call());
            all.addAll(page.entries());
            after = page.nextAfterKey();
        }
        contentsSeq = status.lastEventSeq();
        contentsLoadedAt = clock.getAsLong();
        contentsLoadMillis = contentsLoadedAt - now;
        listener.contentsLoaded(link.address().id(), all);
    }

    private void readInDoubt(ReplicaStatus status) throws Exception {
        if (status.inDoubt() == 0 && !hadInDoubt) {
            return;
        }
        List<InDoubtTransaction> list = link.call(c -> c.admin().inDoubt(), timeouts.call());
        hadInDoubt = !list.isEmpty();
        listener.inDoubtLoaded(link.address().id(), list);
    }

    @Override
    public void close() {
        closed = true;
        if (ticking != null) {
            ticking.cancel(false);
        }
    }
}
