package chorus.server.protocol;

import chorus.api.ChorusException;
import chorus.api.InvalidRequestException;
import chorus.api.Limits;
import chorus.api.NotPermittedException;
import chorus.api.ViewChangeException;
import chorus.api.ReplicaAdmin;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Timeouts;
import chorus.api.model.ContentsPage;
import chorus.api.model.Decision;
import chorus.api.model.EventBatch;
import chorus.api.model.EventType;
import chorus.api.model.FaultSpec;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.KeyEntry;
import chorus.api.model.MembershipStatus;
import chorus.api.model.View;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.ReplicaDiagnostics;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import chorus.server.membership.Acceptance;
import chorus.server.membership.Ballot;
import chorus.server.membership.LeaseAnswer;
import chorus.server.membership.Membership;
import chorus.server.membership.Promise;
import chorus.server.membership.ViewAcceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's protocol, storage-agnostic and transport-agnostic: the coordinator and participant
 * roles, termination, re-delivery, the event log and counters, wired together. Transports call the
 * methods here; nothing here knows about RMI or RocksDB.
 */
public final class ReplicaNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaNode.class);

    /** Outcomes are remembered this long for peers that ask during cooperative termination. */
    public static final long OUTCOME_RETENTION_MILLIS = TimeUnit.HOURS.toMillis(24);

    private final ReplicaAddress address;
    private final ClusterConfig cluster;
    private final ReplicaStore store;
    private final Scheduler scheduler;
    private final Clock clock;
    private final EventLog events;
    private final ReplicaMetrics metrics = new ReplicaMetrics();
    private final Participant participant;
    private final Termination termination;
    /** The writes this replica coordinates; under leader coordination, while it is the leader. */
    private final WriteGroups writes;
    /** Under leader coordination, the writes this replica forwards while another member leads; else null. */
    private final WriteGroups forwarded;
    private final Membership membership;
    private final Learner learner;
    /**
     * For each replica excluded by a view this replica learned in this incarnation: its change log's
     * position then. Every commit without that replica was applied here after it (see CatchUpStart).
     */
    private final java.util.Map<Integer, Long> missedAfter = new java.util.concurrent.ConcurrentHashMap<>();
    private final Coordinator coordinator;
    private final DecisionDelivery delivery;
    private final Timer timer;
    private final ExecutorService calls;
    private final FaultInjector faults;
    private final long startedAtMillis;
    private final long incarnation;
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    /** The position up to which lazily applied COMMITs must be synced. */
    private final AtomicLong needSyncThrough = new AtomicLong();
    /** How long a lazily applied COMMIT may wait for a sync that another write brings anyway. */
    static final long LAZY_SYNC_MILLIS = 20;
    /** The name under which the store keeps the membership acceptor's state. */
    static final String MEMBERSHIP_RECORD = "membership";

    /**
     * How often lapsed lock leases and transactions waiting too long for their decision are looked
     * for: a quarter of the shortest of those waits, at most 100 ms. One sweep replaces a timer per
     * transaction and replica, each of which cost a wake-up of the timer thread and a hand-off; a
     * wait therefore ends up to one sweep interval after its timeout.
     */
    static long sweepMillis(Timeouts t) {
        long shortest = Math.min(t.prepared().toMillis(), Math.min(t.resolveInterval().toMillis(), t.vote().toMillis()));
        return Math.max(5, Math.min(100, shortest / 4));
    }
    private volatile boolean simulatedFailure;
    private volatile boolean closed;

    /**
     * @param channel   reaches the other replicas; calls addressed to this replica must come back to
     *                  {@link #prepare}, {@link #decide} and {@link #outcome} of this node
     * @param scheduler the threads, timers, waits and clock of everything here: {@link Scheduler#threads()}
     *                  in a replica process, a simulator's in a simulation
     */
    public ReplicaNode(int id, ClusterConfig cluster, ReplicaStore store, PeerChannel channel, Scheduler scheduler,
                       int eventCapacity) {
        this.address = cluster.require(id);
        this.cluster = cluster;
        this.store = store;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.startedAtMillis = clock.millis();
        this.events = new EventLog(id, eventCapacity, clock::millis);
        this.timer = scheduler.newTimer("replica-" + id + "-timer");
        this.calls = scheduler.newPool("replica-" + id + "-calls");
        this.incarnation = store.nextIncarnation();
        this.faults = FaultInjector.register(id, java.util.Set.copyOf(cluster.ids()), events);
        channel = new FaultyPeerChannel(id, channel, faults);
        this.membership = new Membership(id, cluster, new ViewAcceptor.Persistence() {
            @Override
            public java.util.Optional<byte[]> load() {
                return store.meta(MEMBERSHIP_RECORD);
            }

            @Override
            public void save(byte[] state) {
                store.saveMeta(MEMBERSHIP_RECORD, state);
            }
        }, channel, scheduler, calls, events, this::failed);
        this.participant = new Participant(id, store, events, cluster.timeouts(), scheduler, OUTCOME_RETENTION_MILLIS, membership,
                cluster.ids());
        Timeouts t = cluster.timeouts();
        this.learner = new Learner(id, store, participant, membership, channel, scheduler, calls, events, t.resolveInterval(),
                this::failed);
        membership.onTransition(this::viewTransition);
        membership.onChange(learner::onView);
        this.delivery = new DecisionDelivery(id, () -> membership.current().lockPrimary(), channel, store, events, metrics,
                cluster.timeouts().ack(), cluster.decisionRideWait(), timer, calls, this::failed, clock);
        this.coordinator = new Coordinator(id, membership, incarnation, channel, store, events, metrics,
                cluster.timeouts(), scheduler, calls, delivery);
        Duration patience = cluster.timeouts().transactionDeadline().dividedBy(2);
        boolean led = cluster.coordination() == Coordination.LEADER;
        this.writes = new WriteGroups(id, coordinator::execute, patience, WriteGroups.GATHER_HALF_LAST,
                WriteGroups.MAX_IN_FLIGHT, scheduler);
        if (led) {
            // Under leader coordination a replica other than the leader groups its clients' writes
            // as a coordinator would, and forwards each group as one write instead of running it.
            // It does not wait for writers expected back: the leader's groups gather them anyway,
            // and the wait only delayed them (write-only at 32 threads, 3,622 / 4,035 ops/s with
            // it against 4,385 / 4,516 / 4,467 without; performance.md, ninth round).
            Forwarding forwarding = new Forwarding(id, this::leader, channel, events, metrics,
                    cluster.timeouts().transactionDeadline().minus(patience), clock);
            this.forwarded = new WriteGroups(id, forwarding, patience, WriteGroups.NO_GATHER, WriteGroups.FORWARD_IN_FLIGHT, scheduler);
        } else {
            this.forwarded = null;
        }
        store.onHealthChange(this::storageHealthChanged);
        this.termination = new Termination(id, participant, coordinator, channel, events, cluster.timeouts(), scheduler, calls,
                this::failed, metrics);
    }

    /** Recovers prepared transactions and undelivered decisions, then starts the background work. */
    public ReplicaNode start() {
        int prepared = participant.recover();
        int undelivered = delivery.recover(View.initial(cluster.ids()));
        Duration resolve = cluster.timeouts().resolveInterval();
        timer.every(resolve, resolve, delivery::redeliver);
        Duration sweep = Duration.ofMillis(sweepMillis(cluster.timeouts()));
        timer.every(sweep, sweep, () -> {
            participant.expireLapsedLocks();
            termination.sweep();
            delivery.reportLate();
        });
        timer.every(Duration.ofSeconds(1), Duration.ofSeconds(1), metrics::tick);
        membership.start(timer);
        learner.onView(membership.current());
        LOG.info("coordination {}: replica {} coordinates this replica's writes; a COMMIT for another replica waits up to {} ms "
                        + "for a PREPARE to carry it (decision.ride-wait.ms)", cluster.coordination().text(),
                leader(), cluster.decisionRideWait().toMillis());
        timer.every(Duration.ofMinutes(1), Duration.ofMinutes(60),
                () -> store.forgetOutcomesBefore(clock.millis() - OUTCOME_RETENTION_MILLIS));
        events.record(Role.PARTICIPANT, EventType.RECOVERED, null, address.id(), List.of(), "",
                "started with " + store.keyCount() + " keys, " + prepared + " prepared transactions to resolve, "
                        + undelivered + " decisions to re-deliver", -1);
        return this;
    }

    /** A full disk and its end are events an operator must see; the store finds both by itself. */
    private void storageHealthChanged(StorageHealth health) {
        if (health.writable()) {
            events.record(Role.PARTICIPANT, EventType.DISK_WRITABLE, null, address.id(), List.of(), "",
                    "replica " + address.id() + "'s storage takes writes again; it votes YES again", -1);
        } else {
            events.record(Role.PARTICIPANT, EventType.DISK_FULL, null, address.id(), List.of(), "",
                    health.note() + "; replica " + address.id() + " votes NO until its storage takes writes again", -1);
        }
    }

    // ---------------------------------------------------------------- client calls

    public ReadResult get(String key) throws ChorusException, InterruptedException {
        Limits.checkKey(key);
        return participant.read(key);
    }

    /**
     * A client's write: coordinated here, or, when another replica coordinates every write
     * ({@link Coordination#LEADER}), forwarded to it together with the others waiting here. A bad
     * write is refused here either way.
     */
    public WriteResult execute(List<Mutation> mutations) throws ChorusException, InterruptedException {
        return forwarded == null || leader() == address.id() ? writes.execute(mutations) : forwarded.execute(mutations);
    }

    /**
     * The replica that coordinates this replica's writes: itself under receiver coordination, the
     * lowest member of the current view under leader coordination.
     */
    private int leader() {
        return cluster.coordination() == Coordination.LEADER ? membership.current().lockPrimary() : address.id();
    }

    /**
     * Writes another replica forwarded: coordinated here, grouped with this replica's own. Never
     * forwarded on: a replica whose own file names another leader (the files differ) runs them as a
     * transaction of their own rather than pass them along.
     */
    public WriteResult coordinateForwarded(List<Mutation> mutations) throws ChorusException, InterruptedException {
        if (leader() == address.id()) {
            return writes.execute(mutations);
        }
        return coordinator.execute(mutations);
    }

    // ---------------------------------------------------------------- peer calls

    // Lock, prepare and decide come from the transaction's coordinator: that is the sender an
    // injected message fault matches. Outcome questions carry no sender and are never faulted here.

    public Vote lock(PrepareRequest request) throws InterruptedException {
        faults.beforeServe(request.txId().coordinator());
        return participant.lock(request);
    }

    public Vote prepare(PrepareRequest request) throws InterruptedException {
        faults.beforeServe(request.txId().coordinator());
        return participant.prepare(request);
    }

    /**
     * Prepares several transactions concurrently, so that their prepare records go to disk as one
     * group commit; returns their votes in order once every one is known. Each PREPARE is bounded
     * by the lock wait, so the message is too.
     */
    public List<Vote> prepareAll(List<PrepareRequest> requests) throws InterruptedException {
        if (requests.isEmpty() || requests.size() > PrepareBatching.MAX_PER_MESSAGE) {
            throw new IllegalArgumentException("a PREPARE message carries 1 to " + PrepareBatching.MAX_PER_MESSAGE
                    + " transactions, not " + requests.size());
        }
        // One message from one coordinator: an injected message fault applies to it once.
        faults.beforeServe(requests.get(0).txId().coordinator());
        return prepareConcurrently(requests);
    }

    private List<Vote> prepareConcurrently(List<PrepareRequest> requests) throws InterruptedException {
        List<Future<Vote>> votes = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size() - 1; i++) {
            PrepareRequest r = requests.get(i);
            votes.add(calls.submit(() -> participant.prepare(r)));
        }
        Vote last = participant.prepare(requests.get(requests.size() - 1));
        List<Vote> out = new ArrayList<>(requests.size());
        long deadline = clock.nanoTime() + cluster.timeouts().read().toNanos();
        for (Future<Vote> f : votes) {
            try {
                out.add(scheduler.await(f, Math.max(0, deadline - clock.nanoTime())));
            } catch (ExecutionException e) {
                throw new IllegalStateException("a PREPARE failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("PREPAREs not done within " + cluster.timeouts().read().toMillis() + " ms");
            }
        }
        out.add(last);
        return out;
    }

    public void decide(TxId txId, Decision decision) {
        try {
            faults.beforeServe(txId.coordinator());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replica " + address.id() + " was interrupted before applying " + txId, e);
        }
        participant.decide(txId, decision);
    }

    /**
     * Applies a message of decisions without syncing them one by one, and says how far this replica
     * has synced: the coordinator keeps each COMMIT record until this replica's answers show its
     * apply durable. If no other synced write here covers them first, a sync of everything applied
     * follows within {@link #LAZY_SYNC_MILLIS}, so that a later answer shows them durable.
     */
    public DecisionAck decideAll(List<Decided> decisions) throws InterruptedException {
        if (decisions.isEmpty()) {
            throw new IllegalArgumentException("a message of decisions carries at least one");
        }
        // One message from one coordinator: an injected message fault applies to it once.
        faults.beforeServe(decisions.get(0).txId().coordinator());
        for (Decided d : decisions) {
            participant.decide(d.txId(), d.decision(), true);
        }
        return ackOfLazyApplies(decisions.get(0).txId().coordinator());
    }

    /**
     * What a message of lazily applied decisions from {@code coordinator} is answered with: how far
     * this replica has synced, with a sync of the applies within {@link #LAZY_SYNC_MILLIS} if none
     * covers them yet.
     */
    private DecisionAck ackOfLazyApplies(int coordinator) {
        if (coordinator == address.id()) {
            // Its own decisions: the COMMIT records here outlive the applies (see Participant#finish).
            return DecisionAck.DURABLE;
        }
        DecisionAck ack = currentDurability();
        if (!ack.durable()) {
            syncSoon(ack.appliedThrough());
        }
        return ack;
    }

    /**
     * One message from a coordinator carrying decisions and PREPAREs (see {@link PeerChannel#exchange}):
     * the decisions are applied first, lazily synced as in {@link #decideAll}, so that a PREPARE that
     * follows its predecessor's COMMIT finds the key free; then the PREPAREs are prepared concurrently,
     * and their synced prepare records usually make the applies durable too, which the answer shows.
     */
    public Exchanged exchange(List<Decided> decisions, List<PrepareRequest> prepares) throws InterruptedException {
        if (decisions.isEmpty() && prepares.isEmpty()) {
            throw new IllegalArgumentException("an exchange carries at least one decision or PREPARE");
        }
        if (prepares.size() > PrepareBatching.MAX_PER_MESSAGE || decisions.size() > DecisionDelivery.MAX_DECISIONS_PER_MESSAGE) {
            throw new IllegalArgumentException("an exchange carries at most " + DecisionDelivery.MAX_DECISIONS_PER_MESSAGE
                    + " decisions and " + PrepareBatching.MAX_PER_MESSAGE + " PREPAREs, not " + decisions.size() + " and "
                    + prepares.size());
        }
        TxId first = decisions.isEmpty() ? prepares.get(0).txId() : decisions.get(0).txId();
        // One message from one coordinator: an injected message fault applies to it once.
        faults.beforeServe(first.coordinator());
        for (Decided d : decisions) {
            participant.decide(d.txId(), d.decision(), true);
        }
        List<Vote> votes = prepares.isEmpty() ? List.of() : prepareConcurrently(prepares);
        return new Exchanged(decisions.isEmpty() ? DecisionAck.DURABLE : ackOfLazyApplies(first.coordinator()), votes);
    }

    /** How far this replica has synced, after syncing everything applied so far. */
    public DecisionAck durability() {
        syncLazyApplies();
        return currentDurability();
    }

    /**
     * The marks read now, by this incarnation: a node that is closed (or crashed, in tests where a
     * new node takes over the same store) must not vouch for marks that its successor wrote.
     */
    private DecisionAck currentDurability() {
        DecisionAck ack = new DecisionAck(incarnation, store.writtenThrough(), store.syncedThrough());
        if (closed) {
            throw new IllegalStateException("replica " + address.id() + " is shutting down");
        }
        return ack;
    }

    /**
     * Makes the lazily applied COMMITs durable within {@link #LAZY_SYNC_MILLIS}: under load a
     * PREPARE's synced write (which syncs everything logged before it) usually does so first, and
     * then this costs nothing; alone, it is one sync for every decision that arrived meanwhile.
     */
    private void syncSoon(long through) {
        needSyncThrough.accumulateAndGet(through, Math::max);
        if (syncQueued.compareAndSet(false, true)) {
            try {
                timer.after(Duration.ofMillis(LAZY_SYNC_MILLIS), () -> {
                    syncQueued.set(false);
                    if (store.syncedThrough() < needSyncThrough.get()) {
                        calls.execute(this::syncLazyApplies);
                    }
                });
            } catch (RejectedExecutionException e) {
                syncQueued.set(false); // closing
            }
        }
    }

    private void syncLazyApplies() {
        try {
            if (store.syncedThrough() < needSyncThrough.get()) {
                store.sync();
            }
        } catch (StorageException e) {
            LOG.warn("background sync failed: {}", e.getMessage());
        }
    }

    public TxOutcome outcome(TxId txId, long preparedAtMillis) {
        if (txId.coordinator() == address.id()) {
            // No decision, but this replica's own prepare: it restarted between its prepare and its
            // COMMIT record, and is asking every member (Termination.resolveOwn). Not presumed aborted.
            // The prepare is looked at first: a commit makes its decision known before its apply here
            // drops the prepare (Coordinator), so one of the two is always seen.
            boolean held = participant.holdsPrepared(txId);
            TxOutcome known = coordinator.outcomeOf(txId);
            return known == TxOutcome.PRESUMED_ABORTED && held ? TxOutcome.PENDING : known;
        }
        return participant.peerOutcome(txId, preparedAtMillis);
    }

    // ---------------------------------------------------------------- membership calls from peers

    /**
     * Notes, for each replica that the newer view leaves out and the view before had as a member,
     * where this replica's change log stands. Called before the newer view is visible here, so before
     * this replica can vote in its epoch: every commit without that replica is logged after the
     * point. Only at that change: a replica left out already before (or since before this
     * incarnation) gets no position, and a learner asking then copies a snapshot.
     */
    private void viewTransition(View before, View after) {
        learner.beforeVisible(after);
        for (int r : cluster.ids()) {
            if (after.isMember(r)) {
                missedAfter.remove(r);
            } else if (before.isMember(r)) {
                missedAfter.put(r, store.lastApplySeq());
            }
        }
    }

    /** A learner starts copying from this replica (see {@link CatchUpStart}). */
    public CatchUpStart catchUpStart(int asker) {
        return new CatchUpStart(address.id(), incarnation, store.lastApplySeq(), store.keyCount(), missedAfter.getOrDefault(asker, -1L));
    }

    public List<StoredEntry> snapshotPage(String afterKey, int limit) throws InvalidRequestException {
        checkPage(limit);
        return store.snapshotPage(afterKey == null ? "" : afterKey, limit);
    }

    public ChangesPage changesAfter(long afterSeq, int limit) throws InvalidRequestException {
        checkPage(limit);
        if (afterSeq < 0) {
            throw new InvalidRequestException("change position " + afterSeq + " is negative");
        }
        return store.changesAfter(afterSeq, limit);
    }

    /**
     * A readmitted replica's final sync (see {@link FinalSync}): learns {@code view}, waits for the
     * transactions of earlier epochs still being prepared here, and says where the log stands and
     * which of those transactions are held here unsettled.
     */
    public FinalSync finalSync(View view) throws InterruptedException {
        membership.learn(view);
        // Only a member that holds every earlier epoch's unsettled transactions may serve: one that is
        // itself finishing a final sync (readmitted at the same time) may not have taken them over yet.
        String notReady = membership.notReadyToVote();
        if (!membership.current().isMember(address.id()) || notReady != null) {
            throw new IllegalStateException("replica " + address.id() + " cannot serve a final sync: "
                    + (notReady != null ? notReady : "it is no member of " + membership.current().text()));
        }
        Timeouts t = cluster.timeouts();
        List<PreparedRecord> voted = participant.votedBefore(view.epoch(), t.lockWait().plus(t.vote()).toNanos());
        return new FinalSync(incarnation, store.lastApplySeq(), voted);
    }

    public Promise promiseView(long epoch, Ballot ballot) {
        return membership.promise(epoch, ballot);
    }

    public Acceptance acceptView(Ballot ballot, View view) {
        return membership.accept(ballot, view);
    }

    public void learnView(View view) {
        membership.learn(view);
    }

    public LeaseAnswer grantLease(int holder, View holderView) {
        return membership.grantLease(holder, holderView);
    }

    // ---------------------------------------------------------------- operator calls

    /** The catch-up under way, if any (a read of one field: safe from any thread). */
    public chorus.api.model.CatchUp catchUp() {
        return learner.progress();
    }

    public MembershipStatus membershipStatus() {
        return membership.status(learner.progress());
    }

    /** Has a majority agree a view without {@code replica} (see {@link Membership#exclude}). */
    public View exclude(int replica) throws InvalidRequestException, ViewChangeException, InterruptedException {
        return membership.exclude(replica);
    }

    /**
     * Readmits this replica, which must be {@code replica}: once its catch-up is done, a majority
     * agrees the view with it, and it finishes with a final sync (see {@link Learner}); bounded by
     * the read timeout of the caller.
     */
    public View readmit(int replica) throws InvalidRequestException, ViewChangeException, InterruptedException {
        membership.checkReadmission(replica);
        Duration within = cluster.timeouts().read().minusSeconds(1);
        return learner.readmit(within.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : within);
    }

    /** The protocol's event log: listen to it for metrics. */
    public EventLog events() {
        return events;
    }

    /** Counters since start (commits, aborts by cause, timeouts) and recent commit latencies. */
    public ReplicaMetrics metrics() {
        return metrics;
    }

    public Membership membership() {
        return membership;
    }

    public ReplicaStatus status() {
        long now = clock.millis();
        return new ReplicaStatus(address.id(), address.hostPort(), startedAtMillis, now - startedAtMillis, store.keyCount(),
                Math.max(participant.inFlight(), coordinator.inFlight()), participant.inDoubtCount(),
                metrics.commits(), metrics.aborts(), metrics.timeouts(), simulatedFailure,
                metrics.commitLatencyPercentile(50), metrics.commitLatencyPercentile(99), events.lastSeq(),
                ProtocolVersion.CURRENT, store.health().note());
    }

    /**
     * A page of committed contents, each key marked with the prepared transaction that holds it
     * here, if any. Keys that only a prepared transaction is creating are listed too (with no
     * value), so that a console sees every key whose state is in flux.
     */
    public ContentsPage contents(String afterKey, int limit) throws InvalidRequestException {
        checkPage(limit);
        String after = afterKey == null ? "" : afterKey;
        List<KeyEntry> raw = store.scan(after, limit);
        String next = raw.size() < limit ? null : raw.get(raw.size() - 1).key();
        java.util.SortedMap<String, TxId> pending = participant.pendingKeys(after, next);
        java.util.TreeMap<String, KeyEntry> page = new java.util.TreeMap<>();
        for (KeyEntry e : raw) {
            page.put(e.key(), new KeyEntry(e.key(), e.value(), e.version(), pending.get(e.key())));
        }
        pending.forEach((key, tx) -> page.computeIfAbsent(key, k -> {
            StoredValue v = store.read(k);
            return new KeyEntry(k, v.value(), v.version(), tx);
        }));
        return new ContentsPage(address.id(), new ArrayList<>(page.values()), next, store.keyCount());
    }

    /**
     * The committed entry of one key as this replica's storage holds it, for listings (as
     * {@link #contents}: no lease, no wait for a prepared write); empty when the key is absent.
     */
    public java.util.Optional<KeyEntry> committedEntry(String key) throws InvalidRequestException {
        Limits.checkKey(key);
        StoredValue v = store.read(key);
        return v.value() == null ? java.util.Optional.empty() : java.util.Optional.of(new KeyEntry(key, v.value(), v.version(), null));
    }

    public EventBatch events(long afterSeq, int max) throws InvalidRequestException {
        checkPage(max);
        if (afterSeq < 0) {
            throw new InvalidRequestException("event cursor " + afterSeq + " is negative; start from 0");
        }
        return events.after(afterSeq, max);
    }

    public List<InDoubtTransaction> inDoubt() {
        return participant.inDoubt();
    }

    public void forceDecision(TxId txId, Decision decision, String note) throws NotPermittedException {
        if (txId == null || decision == null) {
            throw new NotPermittedException("a forced decision needs a transaction id and COMMIT or ABORT");
        }
        participant.force(txId, decision, note);
    }

    /**
     * Records a caller refused at the peer door, the registry or the peer port's TLS, or a peer that
     * did not prove the secret (the transport says who and why); the event log writes it at WARN.
     */
    public void recordAccessRefused(String reason) {
        events.record(Role.TRANSPORT, EventType.ACCESS_REFUSED, null, 0, List.of(), "", reason, -1);
    }

    public void setSimulatedFailure(boolean failed) {
        if (simulatedFailure != failed) {
            simulatedFailure = failed;
            events.record(Role.OPERATOR, failed ? EventType.FAILURE_ON : EventType.FAILURE_OFF, null, address.id(), List.of(), "",
                    failed ? "replica " + address.id() + " now answers every client and peer call as a crashed replica would"
                            : "replica " + address.id() + " is back", -1);
        }
    }

    /** One of the replica's listeners refused connections or calls, or closed idle ones (its limits): for the operator. */
    public void recordRefusal(String listener, String what) {
        events.record(Role.TRANSPORT, EventType.REFUSED, null, 0, List.of(), listener + " listener", what, -1);
    }

    /** Arms a fault; refused unless the replica was started with --allow-faults. */
    public void injectFault(FaultSpec fault) throws NotPermittedException, InvalidRequestException {
        faults.inject(fault);
    }

    public void clearFaults() throws NotPermittedException {
        faults.clear();
    }

    public FaultInjector faults() {
        return faults;
    }

    public ReplicaDiagnostics diagnostics() {
        return new ReplicaDiagnostics(address.id(), participant.lockedKeys(), participant.inFlight(), delivery.undeliveredCount(),
                faults.allowed(), faults.describe());
    }

    public boolean failed() {
        return simulatedFailure;
    }

    public ReplicaAddress address() {
        return address;
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public int lockedKeys() {
        return participant.lockedKeys();
    }

    public int undeliveredDecisions() {
        return delivery.undeliveredCount();
    }

    @Override
    public void close() {
        closed = true;
        learner.close();
        timer.close();
        calls.shutdownNow();
        long[] g = writes.groupStats();
        if (forwarded != null) {
            long[] f = forwarded.groupStats();
            LOG.info("client writes forwarded in groups: {} writes in {} groups", f[1], f[0]);
        }
        LOG.info("client writes grouped: {} writes in {} transactions", g[1], g[0]);
    }

    private static void checkPage(int limit) throws InvalidRequestException {
        if (limit < 1 || limit > ReplicaAdmin.MAX_PAGE) {
            throw new InvalidRequestException("page size " + limit + " is outside 1.." + ReplicaAdmin.MAX_PAGE);
        }
    }
}
