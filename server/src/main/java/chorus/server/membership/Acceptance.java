package chorus.server.membership;

import chorus.api.model.View;
import java.io.Serializable;

/**
 * An acceptor's answer to phase two. Refused with {@code retryAfterMillis > 0} when the view
 * excludes a replica whose read lease this acceptor granted and that has not run out yet: the
 * proposer may try again after that long.
 */
public record Acceptance(int from, boolean granted, String reason, View agreed, long retryAfterMillis) implements Serializable {
}
