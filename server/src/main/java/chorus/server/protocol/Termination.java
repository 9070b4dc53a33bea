package chorus.server.protocol;

import chorus.api.config.Timeouts;
import chorus.api.model.Decision;
import chorus.api.model.EventType;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant's way out of the prepared state when the decision does not come: after the
 * prepared timeout it asks the coordinator; if the coordinator does not answer, it asks the other
 * replicas (cooperative termination: any replica that knows the outcome, or that never voted YES
 * and now refuses to, settles it). If nobody can settle it, the transaction is IN_DOUBT, keeps
 * its locks, and is asked about again every resolve interval until someone answers.
 */
public final class Termination {

    private static final Logger LOG = LoggerFactory.getLogger(Termination.class);

    /**
     * The coordinator's side of a transaction of its own that this replica holds prepared and
     * undecided: it restarted between its prepare and its COMMIT record (or could not make an abort
     * durable). Under parallel commit such a transaction committed if every member holds it prepared;
     * nobody else can settle it, so this replica asks every member ({@link #resolveOwn}).
     */
    interface OwnTransactions {
        /** True if this replica coordinated {@code tx} and has no decision for it (none in flight, no COMMIT record). */
        boolean undecided(TxId tx);

        /** Commits it: a synced COMMIT record, then the decision to every member of its view, this replica first. */
        void commit(ParticipantTx ptx, String how);

        /** This replica applied its abort: makes that durable, then sends the ABORT to the other members. */
        void aborted(ParticipantTx ptx, String how);
    }

    private final int self;
    private final Participant participant;
    private final OwnTransactions own;
    private final PeerChannel channel;
    private final EventLog events;
    private final Timeouts timeouts;
    private final ExecutorService calls;
    private final Scheduler scheduler;
    private final Clock clock;
    private final BooleanSupplier paused;
    private final ReplicaMetrics metrics;

    public Termination(int self, Participant participant, OwnTransactions own, PeerChannel channel, EventLog events,
                       Timeouts timeouts, Scheduler scheduler, ExecutorService calls, BooleanSupplier paused,
                       ReplicaMetrics metrics) {
        this.self = self;
        this.participant = participant;
        this.own = own;
        this.channel = channel;
        this.events = events;
        this.timeouts = timeouts;
        this.calls = calls;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.paused = paused;
        this.metrics = metrics;
    }

    /**
     * Called every {@link ReplicaNode#sweepMillis} by the replica's timer: starts an attempt, on the call
     * pool, for every voted transaction that is due (the prepared timeout passed since its YES, or
     * the resolve interval since the last attempt) and has no attempt running.
     */
    void sweep() {
        long now = clock.nanoTime();
        for (ParticipantTx ptx : participant.waiting()) {
            synchronized (ptx) {
                boolean due = (ptx.state == ParticipantTx.State.PREPARED || ptx.state == ParticipantTx.State.IN_DOUBT)
                        && !ptx.resolving && now - ptx.dueNanos >= 0;
                if (!due) {
                    continue;
                }
                ptx.resolving = true;
            }
            try {
                calls.execute(() -> {
                    try {
                        resolve(ptx);
                    } finally {
                        synchronized (ptx) {
                            ptx.resolving = false;
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    /** The next attempt comes after the resolve interval. */
    private void later(ParticipantTx ptx) {
        synchronized (ptx) {
            ptx.dueNanos = clock.nanoTime() + timeouts.resolveInterval().toNanos();
        }
    }

    /** One attempt to learn the outcome of {@code ptx}; the sweep starts the next if it stays unknown. */
    private void resolve(ParticipantTx ptx) {
        if (!ptx.voted()) {
            return;
        }
        TxId tx = ptx.txId;
        if (paused.getAsBoolean()) {
            later(ptx);
            return;
        }
        if (tx.coordinator() == self && !ptx.adopted && own.undecided(tx)) {
            resolveOwn(ptx);
            return;
        }
        int coordinator = tx.coordinator();
        if (firstAttempt(ptx)) {
            metrics.timedOut();
            events.record(Role.PARTICIPANT, EventType.TIMED_OUT, tx, self, ptx.keys(), Summaries.operation(ptx.mutations),
                    "no decision within " + timeouts.prepared().toMillis() + " ms; asking coordinator " + coordinator, -1);
        }
        String coordinatorSaid;
        try {
            TxOutcome answer = Calls.within(scheduler, calls, timeouts.vote(), () -> channel.outcome(coordinator, tx, ptx.preparedAtMillis));
            if (settleOrRetry(ptx, answer, "coordinator " + coordinator + " answered " + words(answer))) {
                return;
            }
            if (answer == TxOutcome.PRESUMED_ABORTED) {
                throw new NoRecord(); // only for a transaction taken over: its participants tell
            }
            // PENDING: the coordinator is alive and still deciding; it will send the decision.
            coordinatorSaid = "coordinator " + coordinator + " is still deciding";
            note(ptx, coordinatorSaid);
            later(ptx);
            return;
        } catch (NoRecord e) {
            coordinatorSaid = "coordinator " + coordinator + " has no record of it";
        } catch (TimeoutException e) {
            coordinatorSaid = "coordinator " + coordinator + " did not answer within " + timeouts.vote().toMillis() + " ms";
        } catch (LocalApplyFailed e) {
            return;
        } catch (Exception e) {
            coordinatorSaid = "coordinator " + coordinator + " is unreachable (" + Calls.describe(e) + ")";
        }
        List<String> heard = new ArrayList<>();
        heard.add(coordinatorSaid);
        // Only the members of the transaction's view took part: a replica outside it never saw the
        // transaction, and its "never voted YES" would say nothing about the outcome.
        try {
            for (int peer : ptx.view.members()) {
                if (peer == self || peer == coordinator) {
                    continue;
                }
                TxOutcome answer = ask(peer, ptx, heard);
                if (answer == null) {
                    continue;
                }
                if (settleOrRetry(ptx, answer, "replica " + peer + " answered " + answer + " (" + coordinatorSaid + ")")) {
                    return;
                }
                heard.add("replica " + peer + " is " + answer.name().toLowerCase());
            }
        } catch (LocalApplyFailed e) {
            return;
        }
        inDoubt(ptx, String.join("; ", heard));
    }

    /**
     * Settles a transaction of this replica's own that it holds prepared with no decision (see
     * {@link OwnTransactions}): COMMIT if every other member of its view holds it prepared (every YES
     * was durable: the client may have been answered) or applied its COMMIT; ABORT if one never voted
     * YES (it now refuses to) or applied an ABORT; in doubt, asked again every resolve interval, while
     * a member is silent or cannot tell.
     */
    private void resolveOwn(ParticipantTx ptx) {
        TxId tx = ptx.txId;
        if (firstAttempt(ptx)) {
            events.record(Role.COORDINATOR, EventType.TIMED_OUT, tx, self, ptx.keys(), Summaries.operation(ptx.mutations),
                    "coordinator " + self + " holds its own prepare and no decision (it restarted before its COMMIT record, "
                            + "or could not make an abort durable); asking every member", -1);
        }
        List<String> heard = new ArrayList<>();
        int others = 0;
        int prepared = 0;
        try {
            for (int peer : ptx.view.members()) {
                if (peer == self) {
                    continue;
                }
                others++;
                TxOutcome answer = ask(peer, ptx, heard);
                if (answer == null) {
                    continue;
                }
                switch (answer) {
                    case COMMITTED -> {
                        own.commit(ptx, "replica " + peer + " applied its COMMIT");
                        return;
                    }
                    case ABORTED -> {
                        String how = "replica " + peer + " never voted YES for it, or aborted it";
                        participant.finish(ptx, Decision.ABORT, EventType.RESOLVED, how);
                        own.aborted(ptx, how);
                        return;
                    }
                    case PREPARED -> prepared++;
                    default -> heard.add("replica " + peer + " is " + answer.name().toLowerCase());
                }
            }
            if (prepared == others) {
                own.commit(ptx, "every member holds it prepared: it committed when the last prepare became durable");
                return;
            }
        } catch (StorageException e) {
            String why = "replica " + self + " could not record the outcome of its own " + tx + ": " + e.getMessage();
            LOG.warn(why);
            note(ptx, why);
            later(ptx);
            return;
        }
        heard.add(0, prepared + " of " + others + " other members hold it prepared");
        inDoubt(ptx, String.join("; ", heard));
    }

    /** True the first time it is asked for {@code ptx}: its timeout is reported once, not at every attempt. */
    private static boolean firstAttempt(ParticipantTx ptx) {
        synchronized (ptx) {
            boolean first = !ptx.timeoutReported;
            ptx.timeoutReported = true;
            return first;
        }
    }

    /**
     * Asks {@code peer} for the outcome of {@code ptx}, bounded by the vote timeout; null, with what
     * happened added to {@code heard}, if it did not answer in time or could not be reached.
     */
    private TxOutcome ask(int peer, ParticipantTx ptx, List<String> heard) {
        try {
            return Calls.within(scheduler, calls, timeouts.vote(), () -> channel.outcome(peer, ptx.txId, ptx.preparedAtMillis));
        } catch (TimeoutException e) {
            heard.add("replica " + peer + " did not answer");
        } catch (Exception e) {
            heard.add("replica " + peer + " is unreachable");
        }
        return null;
    }

    /** Nobody could settle {@code ptx}: IN_DOUBT (reported once), asked about again after the resolve interval. */
    private void inDoubt(ParticipantTx ptx, String why) {
        TxId tx = ptx.txId;
        boolean newlyInDoubt;
        synchronized (ptx) {
            newlyInDoubt = ptx.state == ParticipantTx.State.PREPARED;
            if (newlyInDoubt) {
                ptx.state = ParticipantTx.State.IN_DOUBT;
            }
            ptx.lastAttempt = why;
        }
        if (newlyInDoubt) {
            events.record(Role.PARTICIPANT, EventType.IN_DOUBT, tx, self, ptx.keys(), Summaries.operation(ptx.mutations), why, -1);
        } else {
            LOG.debug("{} still in doubt: {}", tx, why);
        }
        later(ptx);
    }

    private boolean settle(ParticipantTx ptx, TxOutcome answer, String how) {
        Decision d = switch (answer) {
            case COMMITTED -> Decision.COMMIT;
            case ABORTED -> Decision.ABORT;
            // A participant that has not acknowledged would find the record if it had committed.
            case PRESUMED_ABORTED -> ptx.adopted ? null : Decision.ABORT;
            case PENDING, PREPARED, UNCERTAIN -> null;
        };
        if (d == null) {
            return false;
        }
        participant.finish(ptx, d, EventType.RESOLVED, how);
        return true;
    }

    /**
     * Settles {@code ptx} if {@code answer} decides it. If applying the outcome fails here (a full
     * disk), the failure is this replica's own, not the peer's that answered: it is noted as such,
     * the next attempt is scheduled, and {@link LocalApplyFailed} stops this one.
     */
    private boolean settleOrRetry(ParticipantTx ptx, TxOutcome answer, String how) throws LocalApplyFailed {
        try {
            return settle(ptx, answer, how);
        } catch (StorageException e) {
            String why = how + ", but replica " + self + " could not apply it: " + e.getMessage();
            LOG.warn("{}: {}", ptx.txId, why);
            note(ptx, why);
            later(ptx);
            throw new LocalApplyFailed();
        }
    }

    private static String words(TxOutcome answer) {
        return answer == TxOutcome.PRESUMED_ABORTED ? "ABORTED (it has no record: presumed abort)" : answer.name();
    }

    /** The coordinator has no record of a transaction taken over at readmission: ask its participants. */
    private static final class NoRecord extends Exception {
        private static final long serialVersionUID = 1L;

        NoRecord() {
            super(null, null, false, false);
        }
    }

    /** Ends an attempt whose outcome was learned but could not be applied locally (already noted). */
    private static final class LocalApplyFailed extends Exception {
        private static final long serialVersionUID = 1L;

        LocalApplyFailed() {
            super(null, null, false, false);
        }
    }

    private static void note(ParticipantTx ptx, String attempt) {
        synchronized (ptx) {
            ptx.lastAttempt = attempt;
        }
    }
}
