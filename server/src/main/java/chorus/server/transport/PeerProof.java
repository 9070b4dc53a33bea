package chorus.server.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proofs of the peer handshake: HMAC-SHA256 under the cluster secret over everything that
 * binds a proof to one exchange (cluster, both replicas, both nonces), with a different label for
 * each direction, so that no proof can be replayed or reflected back to its sender. A replica may
 * hold several secrets while the secret is rotated: it proves the first and accepts any.
 */
final class PeerProof {

    static final int NONCE_BYTES = 32;
    private static final byte[] REQUEST = "chorus-peer-open-v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY = "chorus-peer-reply-v1".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<SecretKeySpec> keys;
    private final String fingerprint;

    PeerProof(List<String> secrets, String fingerprint) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no cluster secret");
        }
        this.keys = secrets.stream().map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).toList();
        this.fingerprint = fingerprint;
    }

    PeerProof(String secret, String fingerprint) {
        this(List.of(secret), fingerprint);
    }

    static byte[] nonce() {
        byte[] b = new byte[NONCE_BYTES];
        RANDOM.nextBytes(b);
        return b;
    }

    /** What replica {@code from} presents to replica {@code to} to open its peer service, under its first secret. */
    byte[] request(int from, int to, byte[] challenge, byte[] callerNonce) {
        return mac(keys.get(0), REQUEST, from, to, challenge, callerNonce);
    }

    /** The index of the secret under which {@code proof} is a right request, or -1. */
    int requestSecret(int from, int to, byte[] challenge, byte[] callerNonce, byte[] proof) {
        int found = -1;
        // Every secret is tried, so that timing does not tell which one matched.
        for (int i = 0; i < keys.size(); i++) {
            if (same(mac(keys.get(i), REQUEST, from, to, challenge, callerNonce), proof) && found < 0) {
                found = i;
            }
        }
        return found;
    }

    /** What replica {@code to} answers under secret {@code secret}, proving to {@code from} that it holds it too. */
    byte[] reply(int secret, int from, int to, byte[] challenge, byte[] callerNonce) {
        return mac(keys.get(secret), REPLY, from, to, challenge, callerNonce);
    }

    /** Whether {@code proof} is a right reply under any of this replica's secrets. */
    boolean isReply(int from, int to, byte[] challenge, byte[] callerNonce, byte[] proof) {
        boolean found = false;
        for (int i = 0; i < keys.size(); i++) {
            found |= same(reply(i, from, to, challenge, callerNonce), proof);
        }
        return found;
    }

    /** Compares in constant time, so that timing tells a caller nothing about the expected proof. */
    static boolean same(byte[] expected, byte[] presented) {
        return presented != null && MessageDigest.isEqual(expected, presented);
    }

    private byte[] mac(SecretKeySpec key, byte[] label, int from, int to, byte[] challenge, byte[] callerNonce) {
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
