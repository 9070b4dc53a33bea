package chorus.api.model;

import java.io.Serializable;
import java.util.Optional;

/**
 * A committed value as one replica holds it. {@code found} is false for a key that never existed
 * (version 0) or was deleted (version of the delete).
 */
public record ReadResult(String key, boolean found, String value, long version, int replica) implements Serializable {

    public Optional<String> valueIfPresent() {
        return found ? Optional.of(value) : Optional.empty();
    }
}
