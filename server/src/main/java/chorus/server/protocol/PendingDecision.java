package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A decision and the replicas that have not acknowledged it yet. */
final class PendingDecision {

    final TxId txId;
    final Decision decision;
    final List<String> keys;
    final String operation;
    private final Set<Integer> pending;
    private final Set<Integer> sending = new HashSet<>();
    final CompletableFuture<Void> allAcknowledged = new CompletableFuture<>();

    PendingDecision(TxId txId, Decision decision, List<String> keys, String operation, Set<Integer> targets) {
        this.txId = txId;
        this.decision = decision;
        this.keys = List.copyOf(keys);
        this.operation = operation;
        this.pending = new HashSet<>(targets);
        if (pending.isEmpty()) {
            allAcknowledged.complete(null);
        }
    }

    synchronized void acknowledged(int replica) {
        pending.remove(replica);
        sending.remove(replica);
        if (pending.isEmpty()) {
            allAcknowledged.complete(null);
        }
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
}
