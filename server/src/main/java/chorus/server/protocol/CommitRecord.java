package chorus.server.protocol;

import chorus.api.model.TxId;
import chorus.api.model.View;
import java.util.List;

/**
 * A coordinator's durable COMMIT decision, kept until every member of the transaction's view has
 * acknowledged it. Aborts are never recorded: a coordinator with no record of a transaction presumes abort.
 */
public record CommitRecord(TxId txId, List<String> keys, String operation, long decidedAtMillis, View view) {

    public CommitRecord {
        keys = List.copyOf(keys);
    }
}
