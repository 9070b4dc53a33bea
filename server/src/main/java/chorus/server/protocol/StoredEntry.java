package chorus.server.protocol;

import java.io.Serializable;
import java.util.Objects;

/**
 * One key as a replica stores it, for copying to another replica: {@code value} is null for a
 * tombstone (a deleted key keeps its version, so that a copy of an older value cannot win over
 * the delete). Serializable because copies will travel between replicas.
 */
public record StoredEntry(String key, String value, long version) implements Serializable {

    public StoredEntry {
        Objects.requireNonNull(key, "key");
    }

    public boolean present() {
        return value != null;
    }
}
