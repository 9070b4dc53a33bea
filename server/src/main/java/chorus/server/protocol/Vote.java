package chorus.server.protocol;

import chorus.api.model.AbortCause;
import java.io.Serializable;
import java.util.Map;

/** A participant's answer to PREPARE. */
public sealed interface Vote extends Serializable permits Vote.Yes, Vote.No {

    /**
     * The participant has durably recorded the prepare and holds the locks. {@code versions} are the
     * versions each key will have once committed; all replicas must agree on them.
     */
    record Yes(Map<String, Long> versions) implements Vote {
        public Yes {
            versions = Map.copyOf(versions);
        }
    }

    /** The participant refuses; it holds nothing for this transaction. */
    record No(AbortCause cause, String reason) implements Vote {
    }
}
