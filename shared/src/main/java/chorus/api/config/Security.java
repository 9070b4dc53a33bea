package chorus.api.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Protection of a cluster: the cluster secret that replicas prove to each other before any peer
 * call (required of every replica), mutual TLS on every RMI connection (clients and peers), and an
 * operator token that guards the admin calls that change state. Paths are held as strings so that
 * the record stays serializable; secrets are never held here, only the files they are read from.
 *
 * @param tls          every connection is TLS with client authentication; both sides present a
 *                     certificate from the cluster's CA and trust only the cluster's trust store;
 *                     a replica's certificate names it ({@code CN=chorus replica N}), and only
 *                     such certificates are accepted on the peer port and from servers
 * @param keyStore     PKCS12 key store with this process's key and certificate (a client's)
 * @param replicaKeyStore PKCS12 key store of a replica, {@code {id}} standing for its id; replicas
 *                     use it instead of {@code keyStore}
 * @param trustStore   PKCS12 trust store with the certificates this process accepts
 * @param passwordFile file holding the password of both stores
 * @param tokenFile    file holding the operator token, or null for no token
 * @param peerSecretFile file holding the cluster secret (replicas only; clients never read it), or
 *                     null where no replica is started from this configuration
 */
public record Security(boolean tls, String keyStore, String trustStore, String passwordFile, String tokenFile,
                       String peerSecretFile, String replicaKeyStore) implements Serializable {

    public static final Security NONE = new Security(false, null, null, null, null, null, null);

    /** Shortest cluster secret accepted, in characters (launch/cluster writes 64 hex digits). */
    public static final int MIN_PEER_SECRET_CHARS = 32;

    public Security {
        if (tls && (keyStore == null || trustStore == null || passwordFile == null)) {
            throw new ConfigException("tls.enabled = true needs tls.keystore, tls.truststore and tls.password-file");
        }
    }

    public Security(boolean tls, String keyStore, String trustStore, String passwordFile, String tokenFile) {
        this(tls, keyStore, trustStore, passwordFile, tokenFile, null, null);
    }

    public Security withPeerSecretFile(String file) {
        return new Security(tls, keyStore, trustStore, passwordFile, tokenFile, file, replicaKeyStore);
    }

    public Security withTokenFile(String file) {
        return new Security(tls, keyStore, trustStore, passwordFile, file, peerSecretFile, replicaKeyStore);
    }

    /** The settings replica {@code id} runs with: its own key store in place of the clients'. */
    public Security forReplica(int id) {
        if (replicaKeyStore == null) {
            return this;
        }
        return new Security(tls, replicaKeyStore.replace("{id}", String.valueOf(id)), trustStore, passwordFile, tokenFile,
                peerSecretFile, null);
    }

    /**
     * The cluster secrets, read from their file now: one per line, the first the one this replica
     * proves, every one accepted from peers (a second line lets the secret be rotated one replica
     * at a time; docs/security.md). A replica cannot run without one: it is what keeps anyone but
     * the cluster's replicas from making peer calls.
     */
    public List<String> readPeerSecrets() {
        if (peerSecretFile == null) {
            throw new ConfigException("the cluster file names no peer.secret-file: replicas prove a shared secret to each other "
                    + "before any peer call (launch/cluster start creates the file named there)");
        }
        List<String> secrets = readSecret(peerSecretFile, "peer.secret-file").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (secrets.isEmpty()) {
            throw new ConfigException("peer.secret-file " + peerSecretFile + " holds no secret");
        }
        for (String secret : secrets) {
            if (secret.length() < MIN_PEER_SECRET_CHARS) {
                throw new ConfigException("peer.secret-file " + peerSecretFile + " holds a secret of " + secret.length()
                        + " characters; at least " + MIN_PEER_SECRET_CHARS + " are needed (for example 64 hex digits from /dev/urandom)");
            }
        }
        return secrets;
    }

    /** The password of the key and trust stores, read from its file now (never kept in config). */
    public char[] readPassword() {
        return readSecret(passwordFile, "tls.password-file").toCharArray();
    }

    /** The operator token, read from its file now, if one is configured. */
    public Optional<String> readToken() {
        return tokenFile == null ? Optional.empty() : Optional.of(readSecret(tokenFile, "admin.token-file"));
    }

    private static String readSecret(String file, String key) {
        try {
            String s = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                throw new ConfigException(key + " " + file + " is empty");
            }
            return s;
        } catch (IOException e) {
            throw new ConfigException("cannot read " + key + " " + file + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Security[tls=" + tls + ", token=" + (tokenFile != null) + ", peerSecret=" + (peerSecretFile != null) + "]";
    }
}
