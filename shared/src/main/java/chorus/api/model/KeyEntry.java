package chorus.api.model;

import java.io.Serializable;
import java.util.Optional;

/**
 * One key as a replica holds it: committed value and version, and the prepared transaction that
 * holds the key, if any (its outcome is not yet applied here).
 */
public record KeyEntry(String key, String value, long version, TxId pendingTx) implements Serializable {

    public Optional<TxId> pending() {
        return Optional.ofNullable(pendingTx);
    }
}
