package chorus.server.transport;

import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.ReplicaAdmin;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Security;
import chorus.api.model.ContentsPage;
import chorus.api.model.Decision;
import chorus.api.model.EventBatch;
import chorus.api.model.FaultSpec;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.MembershipStatus;
import chorus.api.model.View;
import chorus.api.ViewChangeException;
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
    private final OperatorGate gate;
    private final boolean privileged;

    AdminEndpoint(ReplicaNode node, OperatorGate gate, boolean privileged) {
        this.node = node;
        this.gate = gate;
        this.privileged = privileged;
    }

    @Override
    public ReplicaAdmin withToken(String token) throws NotPermittedException {
        return gate.admit(token);
    }

    private void requireOperator(String call) throws NotPermittedException {
        if (!privileged && gate.tokenRequired()) {
            throw new NotPermittedException("replica " + node.address().id() + " requires the operator token for " + call
                    + " (give this client admin.token-file in its cluster file)");
        }
    }

    @Override
    public ReplicaStatus status() {
        return node.status();
    }

    @Override
    public ClusterConfig membership() {
        // Where this replica keeps its key stores and token is none of a client's business.
        return node.cluster().withSecurity(Security.NONE);
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
        requireOperator("forceDecision");
        node.forceDecision(txId, decision, operatorNote);
    }

    @Override
    public void setSimulatedFailure(boolean failed) throws NotPermittedException {
        requireOperator("setSimulatedFailure");
        node.setSimulatedFailure(failed);
    }

    @Override
    public void injectFault(FaultSpec fault) throws NotPermittedException, InvalidRequestException {
        requireOperator("injectFault");
        node.injectFault(fault);
    }

    @Override
    public void clearFaults() throws NotPermittedException {
        requireOperator("clearFaults");
        node.clearFaults();
    }

    @Override
    public ReplicaDiagnostics diagnostics() {
        return node.diagnostics();
    }

    @Override
    public MembershipStatus members() {
        return node.membershipStatus();
    }

    @Override
    public View readmit(int replica) throws NotPermittedException, InvalidRequestException, ViewChangeException {
        requireOperator("readmit");
        try {
            return node.readmit(replica);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewChangeException("replica " + node.address().id() + " is shutting down; its readmission "
                    + "may or may not have been agreed (kv members tells)");
        }
    }

    @Override
    public View exclude(int replica) throws NotPermittedException, InvalidRequestException, ViewChangeException {
        requireOperator("exclude");
        try {
            return node.exclude(replica);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewChangeException("replica " + node.address().id() + " is shutting down; the exclusion of replica "
                    + replica + " may or may not have been agreed (kv members tells)");
        }
    }
}
