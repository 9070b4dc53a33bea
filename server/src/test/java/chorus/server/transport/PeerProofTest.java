package chorus.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The proofs of the peer handshake bind everything an exchange is made of. */
class PeerProofTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private final PeerProof proofs = new PeerProof(SECRET, "fp-1");
    private final byte[] challenge = PeerProof.nonce();
    private final byte[] nonce = PeerProof.nonce();

    @Test
    void theSameExchangeGivesTheSameProof() {
        assertThat(PeerProof.same(proofs.request(1, 2, challenge, nonce), new PeerProof(SECRET, "fp-1").request(1, 2, challenge, nonce)))
                .isTrue();
    }

    @Test
    void anyOtherSecretClusterReplicaOrNonceGivesAnotherProof() {
        byte[] proof = proofs.request(1, 2, challenge, nonce);
        assertThat(PeerProof.same(proof, new PeerProof(SECRET + "x", "fp-1").request(1, 2, challenge, nonce))).isFalse();
        assertThat(PeerProof.same(proof, new PeerProof(SECRET, "fp-2").request(1, 2, challenge, nonce))).isFalse();
        assertThat(PeerProof.same(proof, proofs.request(3, 2, challenge, nonce))).isFalse();
        assertThat(PeerProof.same(proof, proofs.request(1, 3, challenge, nonce))).isFalse();
        assertThat(PeerProof.same(proof, proofs.request(1, 2, PeerProof.nonce(), nonce))).isFalse();
        assertThat(PeerProof.same(proof, proofs.request(1, 2, challenge, PeerProof.nonce()))).isFalse();
    }

    @Test
    void aRequestProofCannotBeReflectedAsTheReply() {
        assertThat(PeerProof.same(proofs.reply(0, 1, 2, challenge, nonce), proofs.request(1, 2, challenge, nonce))).isFalse();
        assertThat(proofs.isReply(1, 2, challenge, nonce, proofs.request(1, 2, challenge, nonce))).isFalse();
    }

    /**
     * Rotation: a replica holding the next secret first and the current one second proves the next
     * and accepts both, so it talks to replicas that hold either (one restart at a time).
     */
    @Test
    void whileTheSecretIsRotatedEitherSecretOpensTheDoor() {
        String next = "fedcba9876543210fedcba9876543210";
        PeerProof rotating = new PeerProof(List.of(next, SECRET), "fp-1");
        PeerProof nextOnly = new PeerProof(next, "fp-1");
        assertThat(rotating.requestSecret(1, 2, challenge, nonce, proofs.request(1, 2, challenge, nonce))).isEqualTo(1);
        assertThat(rotating.requestSecret(1, 2, challenge, nonce, nextOnly.request(1, 2, challenge, nonce))).isZero();
        assertThat(proofs.requestSecret(1, 2, challenge, nonce, rotating.request(1, 2, challenge, nonce))).isEqualTo(-1);
        assertThat(proofs.isReply(1, 2, challenge, nonce, rotating.reply(1, 1, 2, challenge, nonce))).isTrue();
        assertThat(rotating.isReply(1, 2, challenge, nonce, proofs.reply(0, 1, 2, challenge, nonce))).isTrue();
        assertThat(proofs.isReply(1, 2, challenge, nonce, nextOnly.reply(0, 1, 2, challenge, nonce))).isFalse();
    }

    @Test
    void nothingIsAProofOfNothing() {
        assertThat(PeerProof.same(proofs.request(1, 2, challenge, nonce), null)).isFalse();
        assertThat(PeerProof.same(proofs.request(1, 2, challenge, nonce), new byte[0])).isFalse();
    }
}
