package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.EventType;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase two's second chance: decisions that some replica has not acknowledged are re-sent in the
 * background until it does. A COMMIT's durable record is forgotten only once every replica has
 * acknowledged, since until then a participant may still ask for it.
 */
public final class DecisionDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionDelivery.class);

    private final PeerChannel channel;
    private final ReplicaStore store;
    private final EventLog events;
    private final ExecutorService calls;
    private final BooleanSupplier paused;
    private final Map<TxId, PendingDecision> undelivered = new ConcurrentHashMap<>();

    public DecisionDelivery(PeerChannel channel, ReplicaStore store, EventLog events, ExecutorService calls,
                            BooleanSupplier paused) {
        this.channel = channel;
        this.store = store;
        this.events = events;
        this.calls = calls;
        this.paused = paused;
    }

    /** Sends {@code pd} to every replica still owed it, in parallel, reporting each acknowledgement. */
    void send(PendingDecision pd, boolean retry) {
        for (int replica : pd.claimUnsent()) {
            long t0 = System.nanoTime();
            calls.execute(() -> {
                try {
                    channel.decide(replica, pd.txId, pd.decision);
                    pd.acknowledged(replica);
                    events.record(Role.COORDINATOR, EventType.ACKNOWLEDGED, pd.txId, replica, pd.keys, pd.operation,
                            retry ? "re-delivered " + pd.decision : "", (System.nanoTime() - t0) / 1000);
                    if (pd.done()) {
                        completed(pd);
                    }
                } catch (Exception e) {
                    pd.sendFailed(replica);
                    LOG.debug("{} of {} to replica {} failed: {}", pd.decision, pd.txId, replica, Calls.describe(e));
                }
            });
        }
    }

    /** Hands over a decision whose acknowledgements did not all arrive in time. */
    void track(PendingDecision pd) {
        if (!pd.done()) {
            undelivered.put(pd.txId, pd);
            if (pd.done()) {
                completed(pd);
            }
        }
    }

    /** Loads COMMIT decisions that were not fully acknowledged before a restart: every replica gets them again. */
    public int recover(List<Integer> replicas) {
        List<CommitRecord> records = store.commitRecords();
        for (CommitRecord r : records) {
            undelivered.put(r.txId(), new PendingDecision(r.txId(), Decision.COMMIT, r.keys(), r.operation(), Set.copyOf(replicas)));
        }
        return records.size();
    }

    /** One round of re-sending; called every resolve interval. */
    public void redeliver() {
        if (paused.getAsBoolean()) {
            return;
        }
        for (PendingDecision pd : undelivered.values()) {
            send(pd, true);
        }
    }

    /** The decision for {@code tx} if it is still being delivered. */
    Optional<Decision> decisionOf(TxId tx) {
        PendingDecision pd = undelivered.get(tx);
        return pd == null ? Optional.empty() : Optional.of(pd.decision);
    }

    public int undeliveredCount() {
        return undelivered.size();
    }

    private void completed(PendingDecision pd) {
        undelivered.remove(pd.txId);
        if (pd.decision == Decision.COMMIT) {
            try {
                store.forgetCommit(pd.txId);
            } catch (StorageException e) {
                LOG.warn("could not forget acknowledged commit {}: {}", pd.txId, e.getMessage());
            }
        }
    }
}
