package chorus.api.model;

import java.io.Serializable;
import java.util.List;

/** A transaction a replica holds prepared, with its keys locked, while it does not know the outcome. */
public record InDoubtTransaction(TxId txId, int coordinator, List<String> keys, String operation,
                                 long preparedAtMillis, String lastAttempt) implements Serializable {

    public InDoubtTransaction {
        keys = List.copyOf(keys);
    }
}
