package chorus.server.protocol;

import chorus.api.model.AbortCause;
import chorus.api.model.View;
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

        /** Travels in {@link Wire.VoteForm}'s compact form. */
        private Object writeReplace() {
            return new Wire.VoteForm(this);
        }
    }

    /**
     * The participant refuses; it holds nothing for this transaction. {@code newerView}: the view of
     * a later epoch than the request's, which the participant knows agreed (a refusal for
     * {@link AbortCause#VIEW_CHANGED}), so that the coordinator retries in it; null otherwise.
     */
    record No(AbortCause cause, String reason, View newerView) implements Vote {
        public No(AbortCause cause, String reason) {
            this(cause, reason, null);
        }

        private Object writeReplace() {
            return new Wire.VoteForm(this);
        }
    }
}
