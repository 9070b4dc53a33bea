package chorus.server.transport;

import java.io.Serializable;

/**
 * What an opened {@link PeerDoor} hands out: the peer service, and the replica's proof that it
 * knows the cluster secret too ({@link PeerProof#reply}).
 */
public record PeerPass(PeerService service, byte[] proof) implements Serializable {
}
