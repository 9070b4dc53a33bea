package chorus.server.protocol;

import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.View;
import java.util.List;
import java.util.Map;

/**
 * What a participant makes durable before voting YES: enough to apply or drop the write after a
 * crash, and the view of the transaction's epoch, whose members alone can tell its outcome.
 */
public record PreparedRecord(TxId txId, TxAge age, List<Mutation> mutations, Map<String, Long> versions,
                             long preparedAtMillis, View view) implements java.io.Serializable {

    public PreparedRecord {
        mutations = List.copyOf(mutations);
        versions = Map.copyOf(versions);
    }

    public List<String> keys() {
        return mutations.stream().map(Mutation::key).toList();
    }
}
