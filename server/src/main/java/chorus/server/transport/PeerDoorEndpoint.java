package chorus.server.transport;

import chorus.api.NotPermittedException;
import chorus.api.config.ClusterConfig;
import chorus.server.protocol.ReplicaNode;
import java.nio.ByteBuffer;
import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A replica's {@link PeerDoor}: hands out challenges, checks the answers, and gives the peer
 * service only to a caller that proved the cluster secret. A refusal changes nothing, is logged,
 * and is an {@link chorus.api.model.EventType#ACCESS_REFUSED} event.
 */
final class PeerDoorEndpoint implements PeerDoor {

    /** A challenge is answered within one round trip; this leaves room for a slow peer. */
    static final long CHALLENGE_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Outstanding challenges kept at most: a caller asking for many cannot grow memory. */
    static final int MAX_OPEN_CHALLENGES = 1024;

    private final ReplicaNode node;
    private final int self;
    private final ClusterConfig cluster;
    private final PeerProof proofs;
    private final PeerService service;
    private final Map<ByteBuffer, Long> challenges = new ConcurrentHashMap<>();

    PeerDoorEndpoint(ReplicaNode node, List<String> secrets, PeerService service) {
        this.node = node;
        this.self = node.address().id();
        this.cluster = node.cluster();
        this.proofs = new PeerProof(secrets, cluster.fingerprint());
        this.service = service;
    }

    @Override
    public String clusterFingerprint() {
        return cluster.fingerprint();
    }

    @Override
    public byte[] challenge() {
        long now = System.nanoTime();
        if (challenges.size() >= MAX_OPEN_CHALLENGES) {
            challenges.values().removeIf(issued -> now - issued > CHALLENGE_LIFETIME_NANOS);
            if (challenges.size() >= MAX_OPEN_CHALLENGES) {
                // Evict the oldest rather than refuse: a flood of unanswered challenges must not
                // lock the real replicas out.
                Iterator<Map.Entry<ByteBuffer, Long>> it = challenges.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue()).limit(MAX_OPEN_CHALLENGES / 4).iterator();
                it.forEachRemaining(e -> challenges.remove(e.getKey()));
            }
        }
        byte[] challenge = PeerProof.nonce();
        challenges.put(ByteBuffer.wrap(challenge.clone()), now);
        return challenge;
    }

    @Override
    public PeerPass open(int from, byte[] challenge, byte[] callerNonce, byte[] proof) throws NotPermittedException {
        if (from == self || cluster.replica(from).isEmpty()) {
            throw refuse(from, "replica " + from + " is not a peer in this cluster (" + cluster.ids() + ")");
        }
        if (challenge == null || challenge.length != PeerProof.NONCE_BYTES || callerNonce == null
                || callerNonce.length != PeerProof.NONCE_BYTES || proof == null) {
            throw refuse(from, "malformed handshake");
        }
        Long issued = challenges.remove(ByteBuffer.wrap(challenge));
        if (issued == null || System.nanoTime() - issued > CHALLENGE_LIFETIME_NANOS) {
            throw refuse(from, "the challenge is unknown, already used or older than "
                    + TimeUnit.NANOSECONDS.toSeconds(CHALLENGE_LIFETIME_NANOS) + " s");
        }
        int secret = proofs.requestSecret(from, self, challenge, callerNonce, proof);
        if (secret < 0) {
            throw refuse(from, "wrong proof of the cluster secret (check peer.secret-file)");
        }
        // Answered under the secret the caller proved, which it is sure to hold.
        return new PeerPass(service, proofs.reply(secret, from, self, challenge, callerNonce));
    }

    private NotPermittedException refuse(int from, String why) {
        String message = "replica " + self + " refused peer access to a caller claiming to be replica " + from
                + " from " + clientHost() + ": " + why;
        node.recordAccessRefused(message);
        return new NotPermittedException(message);
    }

    private static String clientHost() {
        try {
            return RemoteServer.getClientHost();
        } catch (ServerNotActiveException e) {
            return "this process";
        }
    }
}
