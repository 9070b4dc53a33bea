package chorus.server.transport;

import chorus.api.NotPermittedException;
import chorus.api.ReplicaAdmin;
import chorus.server.protocol.ReplicaNode;
import java.util.Optional;

/**
 * A replica's admin calls for another adapter in the same JVM (the HTTP API): the same endpoint and
 * operator gate that RMI exports, not exported, so that a call and its refusal read the same
 * either way.
 */
public final class LocalAdmin {

    private final OperatorGate gate;
    private final ReplicaAdmin plain;

    private LocalAdmin(OperatorGate gate, ReplicaAdmin plain) {
        this.gate = gate;
        this.plain = plain;
    }

    public static LocalAdmin of(ReplicaNode node, Optional<String> operatorToken) {
        OperatorGate gate = new OperatorGate(node.address().id(), operatorToken);
        ReplicaAdmin plain = new AdminEndpoint(node, gate, false);
        gate.stubs(plain, new AdminEndpoint(node, gate, true));
        return new LocalAdmin(gate, plain);
    }

    /** The calls anyone may make; those that change state are refused where a token is set. */
    public ReplicaAdmin plain() {
        return plain;
    }

    /** Whether the cluster sets an operator token. */
    public boolean tokenRequired() {
        return gate.tokenRequired();
    }

    /** The calls with the operator's rights, for the right token; refused otherwise (and logged). */
    public ReplicaAdmin operator(String token) throws NotPermittedException {
        return gate.admit(token);
    }
}
