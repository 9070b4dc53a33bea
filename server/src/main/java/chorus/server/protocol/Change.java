package chorus.server.protocol;

import chorus.api.model.TxId;
import java.io.Serializable;
import java.util.Objects;

/**
 * One write in a replica's change log (see {@link ReplicaStore#changesAfter}). Serializable
 * because a replica that catches up will read another's log.
 *
 * @param seq     this replica's apply sequence number of the write
 * @param value   null for a delete (the key keeps {@code version} as a tombstone)
 * @param txId    the committed transaction that made the write, or null for an entry installed
 *                from a copy of another replica ({@link ReplicaStore#install})
 */
public record Change(long seq, String key, String value, long version, TxId txId) implements Serializable {

    public Change {
        Objects.requireNonNull(key, "key");
    }

    public boolean present() {
        return value != null;
    }

    /** Whether the write came from a copy of another replica rather than a transaction here. */
    public boolean installed() {
        return txId == null;
    }

    public StoredEntry entry() {
        return new StoredEntry(key, value, version);
    }
}
