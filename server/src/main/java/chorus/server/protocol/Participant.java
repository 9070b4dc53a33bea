package chorus.server.protocol;

import chorus.api.NotServingException;
import chorus.api.ReadTimeoutException;
import chorus.api.model.AbortCause;
import chorus.api.model.Decision;
import chorus.api.model.EventType;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import chorus.api.model.View;
import chorus.api.config.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's side of two-phase commit: locks and durably records a transaction at PREPARE,
 * applies or drops it at the decision, answers peers about outcomes, and serves reads that never
 * contradict a commit already visible elsewhere.
 *
 * <p>Invariant: a YES vote leaves this class only after the prepare is durable and the transaction
 * is in state PREPARED; from then on the locks stay until the outcome is applied.
 */
public final class Participant {

    private static final Logger LOG = LoggerFactory.getLogger(Participant.class);
    private static final int REMEMBERED_ABORTS = 100_000;

    /** Held shared by every apply of an outcome, exclusively by a catch-up's install (see finish). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock catchUpInstalls = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final int self;
    private final ReplicaStore store;
    private final EventLog events;
    private final Timeouts timeouts;
    /**
     * {@link #lockLease()} in nanoseconds, computed once: {@code Duration.multipliedBy} goes through
     * {@code BigDecimal}, which took 4 % of the leader's CPU samples when it ran at every LOCK.
     */
    private final long lockLeaseNanos;
    private final Clock clock;
    private final Scheduler scheduler;
    private final LockTable locks;
    private final Views views;
    /** The view of transactions prepared before views existed (their records name none). */
    private final View firstView;
    private final ConcurrentHashMap<TxId, ParticipantTx> txs = new ConcurrentHashMap<>();
    /** How long refusals and outcomes are remembered for peers' questions. */
    private final long outcomeRetentionMillis;
    /**
     * Aborts learned for transactions this replica did not hold (the ABORT overtook the PREPARE, or
     * a vote was NO): a late PREPARE of one of them must not lock anything.
     */
    private final Map<TxId, Boolean> recentAborts = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TxId, Boolean> eldest) {
            return size() > REMEMBERED_ABORTS;
        }
    });
    /** Serialises "register a prepare" against "refuse an unknown transaction" (cooperative termination). */
    private final Object admission = new Object();
    /** Each key's committed state, for PREPAREs and client reads, kept from earlier PREPAREs, reads and applies. */
    private final KnownState known = new KnownState(KnownState.DEFAULT_CAPACITY);

    public Participant(int self, ReplicaStore store, EventLog events, Timeouts timeouts, Scheduler scheduler,
                       long outcomeRetentionMillis, Views views, List<Integer> configured) {
        this.self = self;
        this.views = views;
        this.firstView = View.initial(configured);
        this.store = store;
        this.events = events;
        this.timeouts = timeouts;
        this.lockLeaseNanos = lockLease().toNanos();
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.outcomeRetentionMillis = outcomeRetentionMillis;
        this.locks = new LockTable(scheduler);
    }

    public int id() {
        return self;
    }

    // ---------------------------------------------------------------- phase one

    /**
     * The lock primary's first step: takes the keys in order, waiting for holders, and promises
     * nothing else. The locks lapse after the lease unless the PREPARE arrives.
     */
    public Vote lock(PrepareRequest req) throws InterruptedException {
        if (req.protocolVersion() != ProtocolVersion.CURRENT) {
            return refuse(req, AbortCause.REFUSED, "replica " + self + " speaks protocol version " + ProtocolVersion.CURRENT
                    + ", not " + req.protocolVersion());
        }
        Vote fenced = fence(req);
        if (fenced != null) {
            return fenced;
        }
        ParticipantTx ptx = new ParticipantTx(req.txId(), req.age(), req.mutations(), req.view());
        synchronized (ptx) {
            ptx.state = ParticipantTx.State.LOCKED;
            // Not lapsed while it queues for its keys (at most the lock wait); the lease starts once held.
            ptx.dueNanos = clock.nanoTime() + timeouts.lockWait().toNanos() + lockLeaseNanos;
        }
        Vote refused = admit(req, ptx);
        if (refused != null) {
            return refused;
        }
        LockTable.Acquisition got = locks.acquireAll(req.txId(), req.age(), sortedKeys(req), lockDeadline());
        if (!got.acquired()) {
            txs.remove(req.txId());
            return refuse(req, AbortCause.CONFLICT, "replica " + self + ": " + got.reason());
        }
        synchronized (ptx) {
            if (ptx.state != ParticipantTx.State.LOCKED) {
                // Aborted while it queued: the abort could not release what was not yet held.
                locks.releaseAll(req.txId());
                return new Vote.No(AbortCause.REFUSED, "aborted while replica " + self + " was locking");
            }
            // If the coordinator vanishes now, nothing but this lease frees the keys
            // (expireLapsedLocks, from the replica's periodic sweep).
            ptx.dueNanos = clock.nanoTime() + lockLeaseNanos;
        }
        return new Vote.Yes(Map.of());
    }

    /** How long locks taken by LOCK are held without the PREPARE: twice the vote timeout. */
    Duration lockLease() {
        return timeouts.vote().multipliedBy(2);
    }

    /** Releases the locks of every LOCKED transaction whose lease has ended; called periodically. */
    public void expireLapsedLocks() {
        long now = clock.nanoTime();
        for (ParticipantTx ptx : txs.values()) {
            synchronized (ptx) {
                if (ptx.state != ParticipantTx.State.LOCKED || now - ptx.dueNanos < 0) {
                    continue;
                }
                ptx.state = ParticipantTx.State.DONE;
            }
            txs.remove(ptx.txId, ptx);
            locks.releaseAll(ptx.txId);
            LOG.info("locks of {} lapsed: no PREPARE followed within the lease", ptx.txId);
        }
    }

    public Vote prepare(PrepareRequest req) throws InterruptedException {
        TxId tx = req.txId();
        if (req.protocolVersion() != ProtocolVersion.CURRENT) {
            return refuse(req, AbortCause.REFUSED, "replica " + self + " speaks protocol version " + ProtocolVersion.CURRENT
                    + ", not " + req.protocolVersion());
        }
        Vote fenced = fence(req);
        if (fenced != null) {
            return fenced;
        }
        ParticipantTx ptx = txs.get(tx);
        boolean locked = false;
        if (ptx != null) {
            synchronized (ptx) {
                if (ptx.state == ParticipantTx.State.LOCKED) {
                    ptx.state = ParticipantTx.State.PREPARING;
                    // The LOCK carried no values: what this replica applies at COMMIT comes from here.
                    ptx.mutations = req.mutations();
                    locked = true;
                } else if (ptx.state == ParticipantTx.State.PREPARED || ptx.state == ParticipantTx.State.IN_DOUBT) {
                    return new Vote.Yes(ptx.versions);
                }
            }
        }
        if (!locked) {
            ptx = new ParticipantTx(tx, req.age(), req.mutations(), req.view());
            Vote refused = admit(req, ptx);
            if (refused != null) {
                return refused;
            }
            LockTable.Acquisition got = locks.acquireAll(tx, req.age(), sortedKeys(req), lockDeadline());
            if (!got.acquired()) {
                txs.remove(tx);
                return refuse(req, AbortCause.CONFLICT, "replica " + self + ": " + got.reason());
            }
        }
        try {
            Map<String, Long> versions = new HashMap<>();
            Set<String> present = new HashSet<>();
            for (Mutation m : req.mutations()) {
                KnownState.Known current = known.current(m.key(), store);
                if (current.present()) {
                    present.add(m.key());
                }
                if (m.conditional() && current.version() != m.expectedVersion()) {
                    // Waited for briefly (a replica that just started has no lease yet): rare, and
                    // bounded by the lock wait, although the keys' locks are held meanwhile.
                    if (!views.awaitLease(timeouts.lockWait().toNanos())) {
                        // A replica without a lease may have been excluded and missed commits: its
                        // version may be stale, and a mismatch it reports would be a stale read.
                        return releaseAndRefuse(req, AbortCause.REFUSED, "replica " + self + " holds no read lease and cannot "
                                + "tell whether key '" + Summaries.shorten(m.key()) + "' is at version " + m.expectedVersion()
                                + " (it may have missed commits)");
                    }
                    return releaseAndRefuse(req, AbortCause.VERSION_MISMATCH, "key '" + Summaries.shorten(m.key()) + "' is at version "
                            + current.version() + ", expected " + m.expectedVersion());
                }
                versions.put(m.key(), current.version() + 1);
            }
            FaultPoint.PARTICIPANT_BEFORE_VOTE.hit(self, tx);
            long now = clock.millis();
            synchronized (ptx) {
                if (ptx.abortRequested) {
                    return releaseAndRefuse(req, AbortCause.REFUSED, "aborted while replica " + self + " was preparing");
                }
                ptx.versions = Map.copyOf(versions);
                ptx.present = Set.copyOf(present);
                ptx.preparedAtMillis = now;
            }
            // Synced before the YES, this replica's own as a coordinator too: under parallel commit the
            // transaction is committed once every member's prepare is durable (Coordinator.attempt).
            store.savePrepared(new PreparedRecord(tx, req.age(), req.mutations(), versions, now, req.view()));
            synchronized (ptx) {
                if (ptx.abortRequested) {
                    store.applyOutcome(tx, Decision.ABORT, List.of(), false);
                    return releaseAndRefuse(req, AbortCause.REFUSED, "aborted while replica " + self + " was preparing");
                }
                ptx.state = ParticipantTx.State.PREPARED;
                ptx.dueNanos = clock.nanoTime() + timeouts.prepared().toNanos();
            }
            events.record(Role.PARTICIPANT, EventType.PREPARED, tx, self, req.keys(), Summaries.operation(req.mutations()), "", -1);
            FaultPoint.PARTICIPANT_AFTER_VOTE.hit(self, tx);
            return new Vote.Yes(versions);
        } catch (StorageException e) {
            LOG.error("prepare of {} failed in storage", tx, e);
            return releaseAndRefuse(req, AbortCause.REFUSED, "replica " + self + " could not record the prepare: " + e.getMessage());
        }
    }

    /**
     * Epoch fencing: a request of an older epoch than this replica's view is refused (with the newer
     * view, for the coordinator to retry in); a newer one teaches this replica its view first. A
     * replica that is no member of the request's view refuses it.
     */
    private Vote fence(PrepareRequest req) {
        View mine = views.current();
        if (req.view().epoch() > mine.epoch()) {
            try {
                views.learn(req.view());
            } catch (StorageException e) {
                return refuse(req, AbortCause.REFUSED, "replica " + self + " could not record " + req.view().text() + ": " + e.getMessage());
            }
            mine = views.current();
        }
        if (req.view().epoch() < mine.epoch()) {
            return refuse(req, AbortCause.VIEW_CHANGED, "replica " + self + " is at " + mine.text() + "; the transaction's "
                    + req.view().text() + " is over", mine);
        }
        if (!mine.isMember(self)) {
            return refuse(req, AbortCause.REFUSED, "replica " + self + " is no member of " + mine.text());
        }
        String notReady = views.notReadyToVote();
        if (notReady != null) {
            return refuse(req, AbortCause.REFUSED, notReady);
        }
        return null;
    }

    /** Registers {@code ptx}, unless the transaction is known here as aborted; returns the refusal if so. */
    private Vote admit(PrepareRequest req, ParticipantTx ptx) {
        TxId tx = req.txId();
        synchronized (admission) {
            // Checked again under the admission lock: a catch-up's final sync takes the same lock
            // after this replica learned a newer view, and must find every PREPARE of an earlier
            // epoch that could still vote YES here (see votedBefore).
            View mine = views.current();
            if (req.view().epoch() < mine.epoch()) {
                return refuse(req, AbortCause.VIEW_CHANGED, "replica " + self + " is at " + mine.text() + "; the transaction's "
                        + req.view().text() + " is over", mine);
            }
            if (recentAborts.containsKey(tx) || store.outcome(tx).isPresent()) {
                return refuse(req, AbortCause.REFUSED, "replica " + self + " already knows " + tx + " as aborted");
            }
            if (txs.putIfAbsent(tx, ptx) != null) {
                return refuse(req, AbortCause.REFUSED, "replica " + self + " got a second PREPARE for " + tx);
            }
        }
        return null;
    }

    private static List<String> sortedKeys(PrepareRequest req) {
        List<String> keys = new ArrayList<>(req.keys());
        // One order for everybody: two transactions never wait for each other's keys crosswise here.
        Collections.sort(keys);
        return keys;
    }

    private long lockDeadline() {
        return clock.nanoTime() + timeouts.lockWait().toNanos();
    }

    private Vote releaseAndRefuse(PrepareRequest req, AbortCause cause, String reason) {
        locks.releaseAll(req.txId());
        txs.remove(req.txId());
        return refuse(req, cause, reason);
    }

    private Vote refuse(PrepareRequest req, AbortCause cause, String reason) {
        return refuse(req, cause, reason, null);
    }

    private Vote refuse(PrepareRequest req, AbortCause cause, String reason, View newerView) {
        recentAborts.put(req.txId(), Boolean.TRUE);
        events.record(Role.PARTICIPANT, EventType.VOTED_NO, req.txId(), self, req.keys(), Summaries.operation(req.mutations()), reason, -1);
        return new Vote.No(cause, reason, newerView);
    }

    // ---------------------------------------------------------------- phase two

    /** Applies the coordinator's decision; idempotent, so the coordinator may re-send it freely. */
    public void decide(TxId tx, Decision decision) {
        decide(tx, decision, false);
    }

    /**
     * @param syncLater a COMMIT may be applied without syncing: the coordinator keeps its COMMIT
     *                  record until it learns that this replica synced past the apply (see
     *                  {@link DecisionAck}), so a crash that loses the apply finds it again
     */
    public void decide(TxId tx, Decision decision, boolean syncLater) {
        ParticipantTx ptx = txs.get(tx);
        if (ptx != null && ptx.voted()) {
            FaultPoint.PARTICIPANT_ON_DECISION.hit(self, tx);
        }
        if (ptx == null) {
            if (decision == Decision.ABORT) {
                recentAborts.put(tx, Boolean.TRUE);
            } else if (store.outcome(tx).isEmpty()) {
                // Impossible unless storage lost a synced prepare: say so loudly.
                LOG.error("COMMIT for {} which replica {} never prepared", tx, self);
            }
            return;
        }
        synchronized (ptx) {
            if (ptx.state == ParticipantTx.State.LOCKED) {
                dropLocked(ptx);
                return;
            }
            if (ptx.state == ParticipantTx.State.PREPARING) {
                if (decision == Decision.ABORT) {
                    ptx.abortRequested = true;
                    recentAborts.put(tx, Boolean.TRUE);
                    locks.cancel(tx);
                } else {
                    LOG.error("COMMIT for {} before replica {} voted YES", tx, self);
                }
                return;
            }
        }
        // A COMMIT from this replica's own coordinator is covered by its COMMIT record, written
        // before (the log is one sequence), or, lost with it, by its synced prepare record.
        finish(ptx, decision, decision == Decision.COMMIT ? EventType.COMMITTED : EventType.ABORTED, "",
                syncLater || tx.coordinator() == self);
    }

    /**
     * Gives up a transaction that only holds (or queues for) its locks at the primary: nothing of it
     * is durable, and remembering the abort makes a late PREPARE of it vote NO. Caller holds ptx.
     */
    private void dropLocked(ParticipantTx ptx) {
        ptx.state = ParticipantTx.State.DONE;
        txs.remove(ptx.txId, ptx);
        locks.cancel(ptx.txId);
        locks.releaseAll(ptx.txId);
        recentAborts.put(ptx.txId, Boolean.TRUE);
    }

    /**
     * Applies an outcome learned from the coordinator, a peer or an operator, records it as
     * {@code type}, and wakes readers waiting on the transaction's keys.
     */
    void finish(ParticipantTx ptx, Decision decision, EventType type, String reason) {
        finish(ptx, decision, type, reason, false);
    }

    /**
     * @param coveredByCommitRecord the coordinator's COMMIT record outlives the apply (it is this
     *                              replica's own, written before the apply, or kept until this
     *                              replica syncs): the apply need not be synced
     */
    private void finish(ParticipantTx ptx, Decision decision, EventType type, String reason, boolean coveredByCommitRecord) {
        synchronized (ptx) {
            if (ptx.state == ParticipantTx.State.DONE) {
                return;
            }
            // The version check below and the write after it are one step for a catch-up's install
            // (which takes this lock exclusively): else an install between them, of a later version,
            // would be overwritten by this older one (chaos seed 20261208: a restarted coordinator
            // applied its own pending COMMIT over the newer state its catch-up had just copied).
            catchUpInstalls.readLock().lock();
            try {
                List<AppliedWrite> writes = new ArrayList<>();
                if (decision == Decision.COMMIT) {
                    // A transaction of an earlier epoch may find its keys already at a later version,
                    // installed by a catch-up from a member after a view change: the later state wins.
                    boolean older = ptx.view.epoch() < views.current().epoch();
                    for (Mutation m : ptx.mutations) {
                        long version = ptx.versions.get(m.key());
                        if (older && known.current(m.key(), store).version() >= version) {
                            continue;
                        }
                        String value = m instanceof Mutation.Put p ? p.value() : null;
                        writes.add(new AppliedWrite(m.key(), value, version, ptx.present.contains(m.key())));
                    }
                }
                known.beginApply();
                try {
                    store.applyOutcome(ptx.txId, decision, writes, decision == Decision.COMMIT && !coveredByCommitRecord);
                    // Still under the keys' locks, which are released below.
                    for (AppliedWrite w : writes) {
                        known.applied(w.key(), w.version(), w.value());
                    }
                } catch (RuntimeException e) {
                    known.forget(ptx.keys());
                    throw e;
                } finally {
                    known.endApply();
                }
            } finally {
                catchUpInstalls.readLock().unlock();
            }
            ptx.state = ParticipantTx.State.DONE;
        }
        txs.remove(ptx.txId);
        locks.releaseAll(ptx.txId);
        ptx.outcome.complete(decision);
        long elapsed = ptx.preparedAtMillis == 0 ? -1 : (clock.millis() - ptx.preparedAtMillis) * 1000;
        if (type != EventType.COMMITTED && type != EventType.ABORTED) {
            events.record(Role.PARTICIPANT, type, ptx.txId, self, ptx.keys(), Summaries.operation(ptx.mutations), reason, elapsed);
        }
        events.record(Role.PARTICIPANT, decision == Decision.COMMIT ? EventType.COMMITTED : EventType.ABORTED, ptx.txId, self,
                ptx.keys(), Summaries.operation(ptx.mutations), reason, elapsed);
    }

    // ---------------------------------------------------------------- questions from peers

    /** True if this replica voted YES for {@code tx} and has not learned its outcome. */
    public boolean holdsPrepared(TxId tx) {
        ParticipantTx ptx = txs.get(tx);
        return ptx != null && ptx.voted();
    }

    /**
     * What this replica knows of {@code tx} as a participant. If it never voted YES for it, it
     * promises (durably) never to, which lets the asking peer abort safely.
     */
    public TxOutcome peerOutcome(TxId tx, long preparedAtMillis) {
        synchronized (admission) {
            ParticipantTx ptx = txs.get(tx);
            if (ptx != null) {
                synchronized (ptx) {
                    if (ptx.state == ParticipantTx.State.LOCKED) {
                        dropLocked(ptx);
                        return TxOutcome.ABORTED;
                    }
                    if (ptx.state == ParticipantTx.State.PREPARING) {
                        ptx.abortRequested = true;
                        recentAborts.put(tx, Boolean.TRUE);
                        locks.cancel(tx);
                        return TxOutcome.ABORTED;
                    }
                    if (ptx.state != ParticipantTx.State.DONE) {
                        return TxOutcome.PREPARED;
                    }
                }
            }
            Optional<Decision> known = store.outcome(tx);
            if (known.isPresent()) {
                return known.get() == Decision.COMMIT ? TxOutcome.COMMITTED : TxOutcome.ABORTED;
            }
            if (recentAborts.containsKey(tx)) {
                return TxOutcome.ABORTED;
            }
            if (clock.millis() - preparedAtMillis > outcomeRetentionMillis / 2) {
                // This replica may have applied and forgotten it: absence proves nothing any more.
                return TxOutcome.UNCERTAIN;
            }
            store.refuse(tx);
            recentAborts.put(tx, Boolean.TRUE);
            return TxOutcome.ABORTED;
        }
    }

    // ---------------------------------------------------------------- reads

    /**
     * The committed value of {@code key}, after waiting for the outcome of any transaction that holds
     * the key and has voted YES here: that transaction may already be committed elsewhere, and
     * answering with the old value could contradict a read there.
     */
    public ReadResult read(String key) throws ReadTimeoutException, NotServingException, InterruptedException {
        long deadline = clock.nanoTime() + timeouts.readWait().toNanos();
        // Only a member with a lease from a majority reads: no view without it can be agreed meanwhile,
        // so no write can commit without it.
        views.awaitReadable(timeouts.readWait().toNanos());
        while (true) {
            Optional<TxId> holder = locks.holder(key);
            ParticipantTx ptx = holder.map(txs::get).orElse(null);
            if (ptx == null || !ptx.voted()) {
                StoredValue v = known.read(key, store);
                return new ReadResult(key, v.present(), v.value(), v.version(), self);
            }
            long remaining = deadline - clock.nanoTime();
            try {
                if (remaining <= 0) {
                    throw new TimeoutException();
                }
                scheduler.await(ptx.outcome, remaining);
            } catch (TimeoutException e) {
                throw new ReadTimeoutException("replica " + self + ": key '" + Summaries.shorten(key) + "' is held by prepared transaction "
                        + ptx.txId + " whose outcome is not known here after " + timeouts.readWait().toMillis() + " ms");
            } catch (ExecutionException e) {
                throw new IllegalStateException("outcome futures never fail", e);
            }
        }
    }

    // ---------------------------------------------------------------- recovery and operators

    /** Re-takes the locks of every transaction that was prepared when the replica stopped. */
    public int recover() {
        List<PreparedRecord> records = store.preparedRecords();
        for (PreparedRecord r : records) {
            ParticipantTx ptx = new ParticipantTx(r.txId(), r.age(), r.mutations(), r.view() == null ? firstView : r.view());
            synchronized (ptx) {
                ptx.versions = r.versions();
                // Not in the record: read now, before its apply (the prepared record is dropped with it).
                ptx.present = r.keys().stream().filter(k -> store.read(k).present()).collect(Collectors.toUnmodifiableSet());
                ptx.preparedAtMillis = r.preparedAtMillis();
                ptx.state = ParticipantTx.State.PREPARED;
                // Outside the view of its epoch, this replica cannot have voted on it: it took it over.
                ptx.adopted = !ptx.view.isMember(self);
                // Asked about once the prepared timeout has passed since this start; a transaction this
                // replica coordinated at once: nobody else will settle it (Termination.resolveOwn).
                ptx.dueNanos = clock.nanoTime() + (r.txId().coordinator() == self ? 0 : timeouts.prepared().toNanos());
            }
            locks.restore(r.txId(), r.keys());
            txs.put(r.txId(), ptx);
        }
        return records.size();
    }

    /**
     * Takes over transactions that a member holds prepared and in doubt, on readmission after a
     * catch-up (see {@link FinalSync}): recorded durably here, their keys locked, and resolved like
     * this replica's own (asking the members of their epoch). Those it already holds or knows the
     * outcome of are skipped, and so are those it coordinated (below). Returns how many it took over.
     */
    public int adopt(List<PreparedRecord> records) {
        // A transaction of this replica's own, prepared before it was excluded, may still hold a key
        // that a taken-over one holds: the member that prepared the latter had settled the former,
        // so this replica can learn its outcome. It asks now, and the final sync is tried again.
        List<String> blocked = new ArrayList<>();
        for (PreparedRecord r : records) {
            if (txs.containsKey(r.txId())) {
                continue;
            }
            for (String key : r.keys()) {
                locks.holder(key).filter(h -> !h.equals(r.txId())).map(txs::get).ifPresent(own -> {
                    synchronized (own) {
                        own.dueNanos = clock.nanoTime();
                    }
                    blocked.add(own.txId + " holds '" + Summaries.shorten(key) + "'");
                });
            }
        }
        if (!blocked.isEmpty()) {
            throw new IllegalStateException("replica " + self + " first settles its own earlier transactions: " + String.join(", ", blocked));
        }
        int adopted = 0;
        for (PreparedRecord r : records) {
            synchronized (admission) {
                // Nor one of its own that it does not hold: its own prepare is part of every commit
                // (parallel commit), so that one never committed, and the members learn so from it
                // (presumed abort). Held here, it would pass for this replica's own YES after a restart.
                if (txs.containsKey(r.txId()) || store.outcome(r.txId()).isPresent() || r.txId().coordinator() == self) {
                    continue;
                }
                store.savePrepared(r);
                ParticipantTx ptx = new ParticipantTx(r.txId(), r.age(), r.mutations(), r.view() == null ? firstView : r.view());
                synchronized (ptx) {
                    ptx.versions = r.versions();
                    ptx.present = r.keys().stream().filter(k -> store.read(k).present()).collect(Collectors.toUnmodifiableSet());
                    ptx.preparedAtMillis = r.preparedAtMillis();
                    ptx.state = ParticipantTx.State.PREPARED;
                    ptx.dueNanos = clock.nanoTime();
                    ptx.adopted = true;
                }
                locks.restore(r.txId(), r.keys());
                txs.put(r.txId(), ptx);
                adopted++;
            }
        }
        return adopted;
    }

    /**
     * Once this replica knows a view of {@code epoch}, no transaction of an earlier epoch can gain its
     * YES; this waits (at most {@code timeoutNanos}) for those still being prepared to vote or give
     * up, then returns those that voted YES and are not settled: prepared or in doubt.
     */
    public List<PreparedRecord> votedBefore(long epoch, long timeoutNanos) throws InterruptedException {
        long deadline = clock.nanoTime() + timeoutNanos;
        synchronized (admission) {
            // From here on no PREPARE of an earlier epoch registers (admit checks the epoch under this
            // lock), and one that holds only its locks at the primary gives them up: it has not voted,
            // and its PREPARE will be refused.
            for (ParticipantTx ptx : txs.values()) {
                if (ptx.view.epoch() < epoch) {
                    synchronized (ptx) {
                        if (ptx.state == ParticipantTx.State.LOCKED) {
                            dropLocked(ptx);
                        }
                    }
                }
            }
        }
        while (txs.values().stream().anyMatch(p -> p.view.epoch() < epoch && p.state() == ParticipantTx.State.PREPARING)) {
            if (clock.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("replica " + self + " still prepares transactions of epochs before " + epoch
                        + " after " + timeoutNanos / 1_000_000 + " ms; ask again");
            }
            // Rare (once per readmission) and short (a lock wait and a synced write at most).
            scheduler.sleep(5_000_000);
        }
        List<PreparedRecord> out = new ArrayList<>();
        for (ParticipantTx ptx : txs.values()) {
            synchronized (ptx) {
                if (ptx.view.epoch() < epoch && (ptx.state == ParticipantTx.State.PREPARED || ptx.state == ParticipantTx.State.IN_DOUBT)) {
                    out.add(new PreparedRecord(ptx.txId, ptx.age, ptx.mutations, ptx.versions, ptx.preparedAtMillis, ptx.view));
                }
            }
        }
        return out;
    }

    /** Forgets what is cached of {@code keys}: a catch-up wrote them in the store directly. */
    /**
     * Installs entries a catch-up copied (see {@link ReplicaStore#install}, not synced). Counted as an
     * apply for the key cache, so that no read whose store read straddles it fills the cache with
     * what it read before (a stale value that would then be served and voted with).
     */
    public void install(List<StoredEntry> entries) {
        catchUpInstalls.writeLock().lock();
        try {
            known.beginApply();
            try {
                store.install(entries, false);
            } finally {
                known.forget(entries.stream().map(StoredEntry::key).toList());
                known.endApply();
            }
        } finally {
            catchUpInstalls.writeLock().unlock();
        }
    }

    /** Operator's heuristic decision for a transaction prepared here. */
    public void force(TxId tx, Decision decision, String note) throws chorus.api.NotPermittedException {
        ParticipantTx ptx = txs.get(tx);
        if (ptx == null || !ptx.voted()) {
            throw new chorus.api.NotPermittedException("replica " + self + " holds no prepared transaction " + tx);
        }
        String reason = "operator forced " + decision + (note == null || note.isBlank() ? "" : ": " + note);
        finish(ptx, decision, EventType.HEURISTIC_DECISION, reason);
    }

    public List<InDoubtTransaction> inDoubt() {
        List<InDoubtTransaction> out = new ArrayList<>();
        long now = clock.millis();
        for (ParticipantTx ptx : txs.values()) {
            synchronized (ptx) {
                if (ptx.inDoubt(now, timeouts.prepared())) {
                    out.add(new InDoubtTransaction(ptx.txId, ptx.txId.coordinator(), ptx.keys(), Summaries.operation(ptx.mutations),
                            ptx.preparedAtMillis, ptx.lastAttempt));
                }
            }
        }
        out.sort((a, b) -> a.txId().compareTo(b.txId()));
        return out;
    }

    /** Transactions locked here: being prepared, prepared, or in doubt. */
    public int inFlight() {
        return txs.size();
    }

    /** How many {@link #inDoubt()} lists, without building the list (a replica's status counts them). */
    public int inDoubtCount() {
        int n = 0;
        long now = clock.millis();
        for (ParticipantTx ptx : txs.values()) {
            synchronized (ptx) {
                if (ptx.inDoubt(now, timeouts.prepared())) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The prepared transaction holding {@code key}, if its outcome is pending here. */
    public Optional<TxId> pendingOn(String key) {
        return locks.holder(key).filter(tx -> {
            ParticipantTx ptx = txs.get(tx);
            return ptx != null && ptx.voted();
        });
    }

    /**
     * Keys held by transactions that voted YES here, after {@code afterKey} and up to
     * {@code upToKey} (inclusive; null for no bound), with the transaction holding each.
     */
    public java.util.SortedMap<String, TxId> pendingKeys(String afterKey, String upToKey) {
        java.util.TreeMap<String, TxId> out = new java.util.TreeMap<>();
        for (ParticipantTx ptx : txs.values()) {
            if (!ptx.voted()) {
                continue;
            }
            for (String k : ptx.keys()) {
                if (k.compareTo(afterKey) > 0 && (upToKey == null || k.compareTo(upToKey) <= 0)) {
                    out.put(k, ptx.txId);
                }
            }
        }
        return out;
    }

    ParticipantTx transaction(TxId tx) {
        return txs.get(tx);
    }

    List<ParticipantTx> waiting() {
        return new ArrayList<>(txs.values());
    }

    public int lockedKeys() {
        return locks.lockedKeys();
    }
}
