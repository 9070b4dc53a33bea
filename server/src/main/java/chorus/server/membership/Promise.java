package chorus.server.membership;

import chorus.api.model.View;
import java.io.Serializable;

/**
 * An acceptor's answer to phase one of a view agreement. Granted: it promised to accept no lower
 * ballot for the epoch, and says which view it already accepted for it, if any (the proposer must
 * then propose the accepted view of the highest ballot). Refused: {@code reason} says why, and
 * {@code agreed} is the acceptor's latest agreed view, so that a proposer that is behind learns it.
 */
public record Promise(int from, boolean granted, String reason, View agreed, Ballot promised, Ballot acceptedBallot,
                      View accepted) implements Serializable {
}
