package chorus.server.membership;

import chorus.api.InvalidRequestException;
import chorus.api.NotServingException;
import chorus.api.ViewChangeException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.MembershipSettings;
import chorus.api.model.EventType;
import chorus.api.model.MembershipStatus;
import chorus.api.model.Role;
import chorus.api.model.View;
import chorus.server.protocol.EventLog;
import chorus.server.protocol.Scheduler;
import chorus.server.protocol.Timer;
import chorus.server.protocol.Views;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's membership: the agreed view (for two-phase commit, through {@link Views}), its side
 * of every view agreement, its read lease, and the operator's changes. A view keeps at least a
 * majority of the configured replicas as members, so that every committed write lives on a
 * majority of disks.
 */
public final class Membership implements Views {

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    private final int self;
    private final List<Integer> configured;
    private final MembershipSettings settings;
    private final ViewAcceptor acceptor;
    private final ViewProposer proposer;
    private final LeaseKeeper lease;
    private final EventLog events;
    private final ExecutorService calls;
    private final Duration changeTime;
    private final Contacts contacts;
    /** Null when automatic exclusion and readmission are off. */
    private final AutoExclusion auto;
    private final BooleanSupplier paused;
    /** Why this member may not vote or read yet; null when it may. */
    private volatile String notReady;

    /**
     * @param disk   where the acceptor's state lives (synced)
     * @param paused true while the replica plays dead (its failure switch): it then asks for no lease
     */
    public Membership(int self, ClusterConfig cluster, ViewAcceptor.Persistence disk, MembershipChannel channel,
                      Scheduler scheduler, ExecutorService calls, EventLog events, BooleanSupplier paused) {
        this.self = self;
        this.configured = cluster.ids();
        this.settings = cluster.membership();
        this.events = events;
        this.calls = calls;
        this.acceptor = new ViewAcceptor(self, configured, disk, scheduler.clock(), settings.lease(), settings.leaseMargin());
        Duration callTimeout = cluster.timeouts().vote();
        this.proposer = new ViewProposer(self, configured, acceptor, channel, scheduler, calls, callTimeout, this::agreed);
        this.paused = paused;
        this.contacts = new Contacts(configured, scheduler.clock());
        this.lease = new LeaseKeeper(self, configured, acceptor, channel, scheduler, calls, settings, paused, contacts,
                this::leaseChanged);
        // Long enough to wait out a lease (an exclusion must), short of the callers' read timeout.
        Duration wanted = settings.lease().plus(settings.leaseMargin()).plus(callTimeout.multipliedBy(2));
        Duration cap = cluster.timeouts().read().minusSeconds(1);
        this.changeTime = wanted.compareTo(cap) < 0 || cap.isNegative() ? wanted : cap;
        acceptor.onTransition(this::joined);
        acceptor.onChange(this::learned);
        this.auto = settings.autoExcludeAfter().isZero() ? null
                : new AutoExclusion(self, configured.size(), settings.autoExcludeAfter(), contacts,
                        () -> !paused.getAsBoolean() && notReady == null && lease.valid(),
                        (what, change) -> failedVisibly(() -> proposer.propose(what, change, changeTime).view()), calls);
    }

    /** Starts asking for the read lease, at once and then every quarter lease. */
    public void start(Timer timer) {
        Duration every = settings.lease().dividedBy(4);
        timer.every(Duration.ZERO, every, this::renewSoon);
        LOG.info("membership: {}; read lease {} ms renewed every {} ms, drift margin {} ms", acceptor.view().text(),
                settings.lease().toMillis(), every.toMillis(), settings.leaseMargin().toMillis());
        if (auto != null) {
            Duration after = settings.autoExcludeAfter();
            Duration check = Duration.ofMillis(Math.max(50, Math.min(every.toMillis(), after.toMillis() / 4)));
            timer.every(check, check, () -> auto.check(acceptor.view()));
            LOG.info("automatic membership: a member unreachable for {} ms is excluded once its lease has run out; "
                    + "an excluded replica that has caught up readmits itself", after.toMillis());
        } else {
            LOG.info("automatic membership off (membership.auto-exclude-after-ms = 0): only an operator excludes and readmits");
        }
    }

    /** Whether an excluded replica readmits itself once it has caught up (automatic membership is on). */
    public boolean readmitsItself() {
        return auto != null;
    }

    /**
     * Whether every member of the current view answered this replica within the last half lease:
     * a replica readmits itself only then, so that one that would at once be found unreachable
     * again does not go in and out.
     */
    public boolean hearsEveryMember() {
        long recent = settings.lease().toNanos() / 2;
        return !paused.getAsBoolean() && acceptor.view().members().stream().allMatch(r -> r == self || contacts.silentNanos(r) < recent);
    }

    /** See {@link ViewAcceptor#onTransition}: before the newer view is visible here. */
    public void onTransition(java.util.function.BiConsumer<View, View> hook) {
        acceptor.onTransition(hook);
    }

    /** Called with every newer agreed view this replica learns, once it is durable here. */
    public void onChange(java.util.function.Consumer<View> listener) {
        acceptor.onChange(listener);
    }

    // ---------------------------------------------------------------- Views, for two-phase commit

    @Override
    public View current() {
        return acceptor.view();
    }

    @Override
    public boolean learn(View view) {
        return acceptor.learn(view);
    }

    @Override
    public void awaitReadable(long timeoutNanos) throws NotServingException, InterruptedException {
        View view = acceptor.view();
        if (!view.isMember(self)) {
            throw new NotServingException("replica " + self + " is no member of " + view.text()
                    + ": it was excluded, and serves no reads until it is readmitted; read at a member");
        }
        String waiting = notReady;
        if (waiting != null) {
            throw new NotServingException(waiting + "; read at another replica");
        }
        if (!lease.valid()) {
            // Ask now rather than at the next renewal: a replica that just started, or whose
            // partition just healed, answers as soon as a majority grants.
            renewSoon();
        }
        if (!lease.await(timeoutNanos)) {
            throw new NotServingException("replica " + self + " holds no read lease (" + lease.problem()
                    + "); it serves reads again once a majority grants one; read at another replica");
        }
        // The wait may have spanned an exclusion and a readmission whose final sync still runs:
        // what this replica holds is current only if it is a ready member now, with the lease.
        View now = acceptor.view();
        if (!now.isMember(self) || notReady != null) {
            throw new NotServingException("replica " + self + (now.isMember(self) ? ": " + notReady
                    : " is no member of " + now.text() + ": it was excluded while the read waited for a lease")
                    + "; read at another replica");
        }
    }

    @Override
    public boolean awaitLease(long timeoutNanos) throws InterruptedException {
        if (lease.valid()) {
            return true;
        }
        renewSoon();
        return lease.await(timeoutNanos);
    }

    private void renewSoon() {
        try {
            calls.execute(lease::renew);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    // ---------------------------------------------------------------- peer calls

    public Promise promise(long epoch, Ballot ballot) {
        return acceptor.promise(epoch, ballot);
    }

    public Acceptance accept(Ballot ballot, View view) {
        return acceptor.accept(ballot, view);
    }

    public LeaseAnswer grantLease(int holder, View holderView) {
        return acceptor.grantLease(holder, holderView);
    }

    // ---------------------------------------------------------------- operator calls

    /**
     * Excludes {@code replica}: agreed by a majority, after its read lease has run out. Writes then
     * commit without it. Nothing to do if it is excluded already.
     */
    public View exclude(int replica) throws InvalidRequestException, ViewChangeException, InterruptedException {
        checkConfigured(replica);
        return failedVisibly(() -> proposer.propose("exclude replica " + replica, current -> {
            if (!current.isMember(replica)) {
                return current;
            }
            View next = current.without(replica);
            int majority = Quorum.majority(configured.size());
            if (next.members().size() < majority) {
                throw new InvalidRequestException("excluding replica " + replica + " would leave " + members(next)
                        + ", fewer than a majority (" + majority + " of " + configured.size() + ") of the configured replicas; "
                        + "a write must live on a majority of disks");
            }
            return next;
        }, changeTime).view());
    }

    private interface Proposal {
        View run() throws InvalidRequestException, ViewChangeException, InterruptedException;
    }

    /** A change not agreed in time is an event and a WARN line, as well as the caller's error. */
    private View failedVisibly(Proposal p) throws InvalidRequestException, ViewChangeException, InterruptedException {
        try {
            return p.run();
        } catch (ViewChangeException e) {
            events.record(Role.MEMBERSHIP, EventType.VIEW_CHANGE_FAILED, null, self, List.of(), "", e.getMessage(), -1);
            throw e;
        }
    }

    /** Refuses a readmission asked of another replica than the one to readmit. */
    public void checkReadmission(int replica) throws InvalidRequestException {
        checkConfigured(replica);
        if (replica != self) {
            throw new InvalidRequestException("readmission is asked of the replica itself: ask replica " + replica
                    + ", which must be running to copy the data");
        }
    }

    /**
     * Has a majority agree the view with this replica added (its catch-up is done: see Learner).
     * A view with one more member excludes nobody, so no lease holds it up.
     */
    public View readmitSelf(Duration within, String why) throws InvalidRequestException, ViewChangeException, InterruptedException {
        return failedVisibly(() -> proposer.propose("readmit replica " + self + why,
                current -> current.isMember(self) ? current : current.with(self),
                within.compareTo(changeTime) < 0 ? within : changeTime).view());
    }

    /** How long an operator's change may take (within the callers' read timeout). */
    public Duration changeTime() {
        return changeTime;
    }

    /** This member votes and reads nothing until {@link #votingResumed()} (a readmitted replica's final sync). */
    public void votingPaused(String reason) {
        notReady = reason;
    }

    public void votingResumed() {
        notReady = null;
    }

    @Override
    public String notReadyToVote() {
        return notReady;
    }

    public MembershipStatus status(chorus.api.model.CatchUp catchUp) {
        View view = acceptor.view();
        return new MembershipStatus(self, view, view.isMember(self), lease.remainingMillis(), lease.valid() ? "" : lease.problem(),
                catchUp);
    }

    private void checkConfigured(int replica) throws InvalidRequestException {
        if (!configured.contains(replica)) {
            throw new InvalidRequestException("replica " + replica + " is not in the cluster file (replicas "
                    + configured.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        }
    }

    // ---------------------------------------------------------------- events

    private void agreed(View view, List<Integer> acceptedBy, String why) {
        events.record(Role.MEMBERSHIP, EventType.VIEW_CHANGED, null, self, List.of(), "",
                view.text() + " agreed by replicas " + acceptedBy.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + ": " + why, -1);
    }

    /**
     * A replica that joins is heard from as of now: what it did not answer while excluded (or before
     * its readmission reached here) must not exclude it again at once.
     */
    private void joined(View before, View after) {
        after.members().stream().filter(r -> !before.isMember(r)).forEach(contacts::heard);
    }

    private void learned(View view) {
        String role = view.isMember(self) ? "a member" : "excluded: it serves no reads or writes until readmitted";
        events.record(Role.MEMBERSHIP, EventType.VIEW_CHANGED, null, self, List.of(), "",
                "replica " + self + " now knows " + view.text() + "; it is " + role, -1);
    }

    private void leaseChanged(boolean held, String why) {
        events.record(Role.MEMBERSHIP, EventType.LEASE, null, self, List.of(), "",
                held ? "replica " + self + " holds a read lease again"
                        : "replica " + self + " lost its read lease (" + why + "); it serves no reads until it has one again", -1);
    }

    private static String members(View v) {
        return v.members().stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }
}
