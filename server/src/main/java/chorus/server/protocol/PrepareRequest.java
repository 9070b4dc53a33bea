package chorus.server.protocol;

import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import java.io.Serializable;
import java.util.List;

/** Phase one: the coordinator asks a participant to lock the keys and promise to apply the mutations. */
public record PrepareRequest(int protocolVersion, TxId txId, TxAge age, List<Mutation> mutations) implements Serializable {

    public PrepareRequest {
        mutations = List.copyOf(mutations);
    }

    public PrepareRequest(TxId txId, TxAge age, List<Mutation> mutations) {
        this(ProtocolVersion.CURRENT, txId, age, mutations);
    }

    public List<String> keys() {
        return mutations.stream().map(Mutation::key).toList();
    }
}
