package chorus.server.protocol;

import java.util.List;

/**
 * The answer to one exchange with a peer (decisions and PREPAREs in one message, see
 * {@link PeerChannel#exchange}): how far the peer has synced after applying the decisions, and the
 * votes on the PREPAREs in their order.
 */
public record Exchanged(DecisionAck ack, List<Vote> votes) {

    public Exchanged {
        votes = List.copyOf(votes);
    }
}
