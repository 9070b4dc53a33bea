package chorus.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(PeerProof.same(proofs.reply(1, 2, challenge, nonce), proofs.request(1, 2, challenge, nonce))).isFalse();
    }

    @Test
    void nothingIsAProofOfNothing() {
        assertThat(PeerProof.same(proofs.request(1, 2, challenge, nonce), null)).isFalse();
        assertThat(PeerProof.same(proofs.request(1, 2, challenge, nonce), new byte[0])).isFalse();
    }
}
