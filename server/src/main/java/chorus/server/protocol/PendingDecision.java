package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A decision, the replicas that have not acknowledged it yet, and those that acknowledged a COMMIT
 * without having synced it yet: until they have, its COMMIT record must stay.
 */
final class PendingDecision {

    final TxId txId;
    final Decision decision;
    final List<String> keys;
    final String operation;
    private final Set<Integer> pending;
    private final Set<Integer> sending = new HashSet<>();
    private final Map<Integer, DecisionAck> unsynced = new HashMap<>();
    final CompletableFuture<Void> allAcknowledged = new CompletableFuture<>();
    /** When the decision was made (the scheduler's clock): acknowledgements are due an ack timeout later. */
    final long decidedNanos;
    /** The client was answered before every acknowledgement was in (the commit point). */
    private volatile boolean answered;
    /** The replicas already reported as late with their acknowledgement. */
    private final Set<Integer> reportedLate = new HashSet<>();

    PendingDecision(TxId txId, Decision decision, List<String> keys, String operation, Set<Integer> targets, long decidedNanos) {
        this.txId = txId;
        this.decision = decision;
        this.keys = List.copyOf(keys);
        this.operation = operation;
        this.pending = new HashSet<>(targets);
        this.decidedNanos = decidedNanos;
        if (pending.isEmpty()) {
            allAcknowledged.complete(null);
        }
    }

    /**
     * {@code replica} applied the decision; a COMMIT it has not synced yet is watched until it has.
     * True if this was the last acknowledgement outstanding.
     */
    synchronized boolean acknowledged(int replica, DecisionAck ack) {
        boolean wasPending = pending.remove(replica);
        sending.remove(replica);
        if (decision == Decision.COMMIT && !ack.durable()) {
            unsynced.put(replica, ack);
        } else {
            unsynced.remove(replica);
        }
        if (pending.isEmpty() && !allAcknowledged.isDone()) {
            allAcknowledged.complete(null);
            return wasPending;
        }
        return false;
    }

    /** Marks {@code replica} as being sent the decision by the caller, unless it is already; true if it was not. */
    synchronized boolean claim(int replica) {
        return pending.contains(replica) && sending.add(replica);
    }

    void answered() {
        answered = true;
    }

    boolean wasAnswered() {
        return answered;
    }

    /** The replicas still owed the decision that were not reported late before; marks them reported. */
    synchronized List<Integer> newlyLate() {
        List<Integer> late = pending.stream().filter(r -> !reportedLate.contains(r)).sorted().toList();
        reportedLate.addAll(late);
        return late;
    }

    /**
     * Takes a later durability answer from {@code replica}; true once this decision no longer waits
     * for that replica to sync. A replica that restarted since it applied the decision may have lost
     * the apply: it is owed the decision again.
     */
    synchronized boolean synced(int replica, DecisionAck latest) {
        DecisionAck applied = unsynced.get(replica);
        if (applied == null) {
            return true;
        }
        if (latest.incarnation() > applied.incarnation()) {
            unsynced.remove(replica);
            pending.add(replica);
            return true;
        }
        if (latest.incarnation() == applied.incarnation() && applied.appliedThrough() <= latest.syncedThrough()) {
            unsynced.remove(replica);
            return true;
        }
        return false;
    }

    synchronized boolean awaitsSync(int replica) {
        return unsynced.containsKey(replica);
    }

    /** Every replica applied the decision and made it durable: its COMMIT record may go. */
    synchronized boolean settled() {
        return pending.isEmpty() && unsynced.isEmpty();
    }

    synchronized void sendFailed(int replica) {
        sending.remove(replica);
    }

    /** Replicas still owed the decision and not being sent it right now; marks them as being sent. */
    synchronized List<Integer> claimUnsent() {
        List<Integer> out = pending.stream().filter(r -> !sending.contains(r)).sorted().toList();
        sending.addAll(out);
        return out;
    }

    synchronized List<Integer> pending() {
        return pending.stream().sorted().toList();
    }

    boolean done() {
        return allAcknowledged.isDone();
    }

    /**
     * Equality stays identity; the hash is the transaction's, so that a set of pending decisions
     * iterates in the same order in every run (an identity hash differs from run to run, and a
     * simulated run must replay exactly).
     */
    @Override
    public int hashCode() {
        return txId.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }
}
