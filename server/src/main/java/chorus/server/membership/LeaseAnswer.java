package chorus.server.membership;

import chorus.api.model.View;
import java.io.Serializable;

/**
 * A replica's answer to another's request for a read lease: granted (it will accept no view without
 * the holder until the lease and the drift margin have run out on its own clock), or refused with
 * the reason; either way with its latest agreed view, so that a holder that is behind learns it.
 */
public record LeaseAnswer(int from, boolean granted, String reason, View agreed) implements Serializable {
}
