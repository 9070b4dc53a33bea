package chorus.server.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proofs of the peer handshake: HMAC-SHA256 under the cluster secret over everything that
 * binds a proof to one exchange (cluster, both replicas, both nonces), with a different label for
 * each direction, so that no proof can be replayed or reflected back to its sender.
 */
final class PeerProof {

    static final int NONCE_BYTES = 32;
    private static final byte[] REQUEST = "chorus-peer-open-v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY = "chorus-peer-reply-v1".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String fingerprint;

    PeerProof(String secret, String fingerprint) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.fingerprint = fingerprint;
    }

    static byte[] nonce() {
        byte[] b = new byte[NONCE_BYTES];
        RANDOM.nextBytes(b);
        return b;
    }

    /** What replica {@code from} presents to replica {@code to} to open its peer service. */
    byte[] request(int from, int to, byte[] challenge, byte[] callerNonce) {
        return mac(REQUEST, from, to, challenge, callerNonce);
    }

    /** What replica {@code to} answers, proving to {@code from} that it holds the secret too. */
    byte[] reply(int from, int to, byte[] challenge, byte[] callerNonce) {
        return mac(REPLY, from, to, challenge, callerNonce);
    }

    /** Compares in constant time, so that timing tells a caller nothing about the expected proof. */
    static boolean same(byte[] expected, byte[] presented) {
        return presented != null && MessageDigest.isEqual(expected, presented);
    }

    private byte[] mac(byte[] label, int from, int to, byte[] challenge, byte[] callerNonce) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            m.update(label);
            byte[] fp = fingerprint.getBytes(StandardCharsets.UTF_8);
            // Every field with its length, so that no two different exchanges hash the same bytes.
            m.update(ByteBuffer.allocate(4 + fp.length + 8).putInt(fp.length).put(fp).putInt(from).putInt(to).array());
            m.update(ByteBuffer.allocate(4).putInt(challenge.length).array());
            m.update(challenge);
            m.update(ByteBuffer.allocate(4).putInt(callerNonce.length).array());
            m.update(callerNonce);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }
}
