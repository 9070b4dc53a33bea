package chorus.api.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Optional protection of a cluster: mutual TLS on every RMI connection (clients and peers), and an
 * operator token that guards the admin calls that change state. Both are off by default. Paths are
 * held as strings so that the record stays serializable; secrets are never held here, only the
 * files they are read from.
 *
 * @param tls          every connection is TLS with client authentication; both sides present the
 *                     cluster's certificate and trust only the cluster's trust store
 * @param keyStore     PKCS12 key store with this process's key and certificate
 * @param trustStore   PKCS12 trust store with the certificates this process accepts
 * @param passwordFile file holding the password of both stores
 * @param tokenFile    file holding the operator token, or null for no token
 */
public record Security(boolean tls, String keyStore, String trustStore, String passwordFile, String tokenFile)
        implements Serializable {

    public static final Security NONE = new Security(false, null, null, null, null);

    public Security {
        if (tls && (keyStore == null || trustStore == null || passwordFile == null)) {
            throw new ConfigException("tls.enabled = true needs tls.keystore, tls.truststore and tls.password-file");
        }
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
        return "Security[tls=" + tls + ", token=" + (tokenFile != null) + "]";
    }
}
