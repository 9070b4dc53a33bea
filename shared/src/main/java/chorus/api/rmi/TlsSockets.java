package chorus.api.rmi;

import chorus.api.config.ConfigException;
import chorus.api.config.Security;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * This process's TLS identity, for the cluster's mutual TLS. Client socket factories travel inside
 * stubs from the replica that exported them, so they cannot carry keys: they take the context that
 * this process installed from its own cluster file. A process without one cannot talk to a TLS
 * cluster, and says so.
 */
public final class TlsSockets {

    private static volatile SSLContext installed;

    private TlsSockets() {
    }

    /** Loads the key and trust stores named by {@code security} and makes them this process's TLS identity. */
    public static SSLContext install(Security security) {
        SSLContext ctx = load(security);
        installed = ctx;
        return ctx;
    }

    static SSLContext context() throws IOException {
        SSLContext ctx = installed;
        if (ctx == null) {
            throw new IOException("this cluster uses TLS, but this process has no TLS settings "
                    + "(set tls.enabled, tls.keystore, tls.truststore and tls.password-file in its cluster file)");
        }
        return ctx;
    }

    /** This process's identity; servers it talks to must present a replica's certificate. */
    public static SSLContext load(Security security) {
        return load(security, false, refusal -> { });
    }

    /**
     * The identity of a replica's peer port, which accepts replicas' certificates only; each
     * refused caller is told to {@code refusals}.
     */
    public static SSLContext loadForPeerPort(Security security, Consumer<String> refusals) {
        return load(security, true, refusals);
    }

    private static SSLContext load(Security security, boolean callersMustBeReplicas, Consumer<String> refusals) {
        char[] password = security.readPassword();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store(security.keyStore(), password, "tls.keystore"), password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store(security.trustStore(), password, "tls.truststore"));
            X509ExtendedTrustManager ca = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    ca = x;
                }
            }
            if (ca == null) {
                throw new ConfigException("cannot set up TLS: the platform offers no X.509 trust manager");
            }
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new ClusterTrust(ca, callersMustBeReplicas, refusals)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cannot set up TLS: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static KeyStore store(String file, char[] password, String key) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException e) {
            throw new ConfigException("cannot read " + key + " " + file + ": " + e.getMessage());
        }
    }
}
