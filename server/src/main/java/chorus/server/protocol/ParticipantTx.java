package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.View;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A transaction as one participant holds it, from PREPARE until its outcome is applied. */
final class ParticipantTx {

    enum State {
        /** Holds its locks at the lock primary ahead of PREPARE; nothing durable, released if PREPARE never comes. */
        LOCKED,
        /** Locks being taken and the prepare being written: no YES vote sent yet. */
        PREPARING,
        /** Voted YES: the outcome may already be decided elsewhere. */
        PREPARED,
        /** Nobody reachable knew the outcome at the last attempt. */
        IN_DOUBT,
        /** Outcome applied, locks released. */
        DONE
    }

    final TxId txId;
    final TxAge age;
    /** The view of the transaction's epoch: its members are the participants, the only replicas that can tell its outcome. */
    final View view;
    /**
     * At the lock primary, the LOCK's copy (keys, no values) until the PREPARE replaces it with the
     * full mutations, under this object's monitor and before the transaction can reach PREPARED.
     */
    volatile List<Mutation> mutations;
    final CompletableFuture<Decision> outcome = new CompletableFuture<>();

    // Guarded by this.
    State state = State.PREPARING;
    Map<String, Long> versions = Map.of();
    /** The keys that held a value when this transaction prepared (it holds them locked since). */
    Set<String> present = Set.of();
    long preparedAtMillis;
    boolean abortRequested;
    boolean timeoutReported;
    String lastAttempt = "";
    /**
     * A reading of the scheduler's {@link Clock#nanoTime()}. LOCKED: when the lock lease ends. PREPARED or IN_DOUBT: when
     * the termination protocol next asks about the outcome. Read by a periodic sweep rather than a
     * timer per transaction: a timer costs a wake-up and a hand-off per transaction and replica.
     */
    long dueNanos;
    /**
     * Taken over from a member at this replica's readmission (see {@link Participant#adopt}): this
     * replica was no participant, so the coordinator's presumed abort says nothing to it.
     */
    boolean adopted;
    /** The termination protocol is asking about it now; the sweep does not start a second attempt. */
    boolean resolving;

    ParticipantTx(TxId txId, TxAge age, List<Mutation> mutations, View view) {
        this.txId = txId;
        this.age = age;
        this.view = view;
        this.mutations = List.copyOf(mutations);
    }

    List<String> keys() {
        return mutations.stream().map(Mutation::key).toList();
    }

    synchronized State state() {
        return state;
    }

    /**
     * In doubt as an operator sees it: marked so by termination, or prepared and past the prepared
     * timeout with no decision yet (the sweep that marks it comes up to a sweep interval later).
     * {@link Participant#inDoubt()} and its count both ask this, so that a status card never says 0
     * beside a listed transaction. The caller holds this object's monitor.
     */
    boolean inDoubt(long nowMillis, Duration preparedTimeout) {
        return state == State.IN_DOUBT || state == State.PREPARED && nowMillis - preparedAtMillis > preparedTimeout.toMillis();
    }

    /** True once the YES vote may have been sent: a reader must then wait for the outcome. */
    synchronized boolean voted() {
        return state == State.PREPARED || state == State.IN_DOUBT;
    }
}
