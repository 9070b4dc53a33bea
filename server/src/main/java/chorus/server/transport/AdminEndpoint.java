package chorus.server.transport;

import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.ReplicaAdmin;
import chorus.api.config.ClusterConfig;
import chorus.api.model.ContentsPage;
import chorus.api.model.Decision;
import chorus.api.model.EventBatch;
import chorus.api.model.FaultSpec;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.ReplicaDiagnostics;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.TxId;
import chorus.server.protocol.ReplicaNode;
import java.util.List;

/**
 * The RMI face of a replica towards operators. It stays up during simulated failure, so that the
 * switch can be turned off again and the console can show what the "crashed" replica holds.
 */
final class AdminEndpoint implements ReplicaAdmin {

    private final ReplicaNode node;

    AdminEndpoint(ReplicaNode node) {
        this.node = node;
    }

    @Override
    public ReplicaStatus status() {
        return node.status();
    }

    @Override
    public ClusterConfig membership() {
        return node.cluster();
    }

    @Override
    public ContentsPage contents(String afterKey, int limit) throws InvalidRequestException {
        return node.contents(afterKey, limit);
    }

    @Override
    public EventBatch events(long afterSeq, int max) throws InvalidRequestException {
        return node.events(afterSeq, max);
    }

    @Override
    public List<InDoubtTransaction> inDoubt() {
        return node.inDoubt();
    }

    @Override
    public void forceDecision(TxId txId, Decision decision, String operatorNote) throws NotPermittedException {
        node.forceDecision(txId, decision, operatorNote);
    }

    @Override
    public void setSimulatedFailure(boolean failed) {
        node.setSimulatedFailure(failed);
    }

    @Override
    public void injectFault(FaultSpec fault) throws NotPermittedException, InvalidRequestException {
        node.injectFault(fault);
    }

    @Override
    public void clearFaults() throws NotPermittedException {
        node.clearFaults();
    }

    @Override
    public ReplicaDiagnostics diagnostics() {
        return node.diagnostics();
    }
}
