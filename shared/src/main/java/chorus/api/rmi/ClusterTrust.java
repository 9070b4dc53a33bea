package chorus.api.rmi;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.OptionalInt;
import java.util.function.Consumer;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The cluster's rules on top of its CA. A certificate must come from the cluster's CA (the trust
 * store), and where it matters it must be a replica's ({@code CN=chorus replica N}, as
 * {@code launch/cluster tls-init} issues them): every server a process talks to, so that a client
 * certificate cannot pose as a replica, and, on the peer port, every caller, so that a client
 * certificate cannot make peer calls.
 */
final class ClusterTrust extends X509ExtendedTrustManager {

    static final String REPLICA_CN_PREFIX = "chorus replica ";

    private final X509ExtendedTrustManager ca;
    private final boolean callersMustBeReplicas;
    private final Consumer<String> refusals;

    ClusterTrust(X509ExtendedTrustManager ca, boolean callersMustBeReplicas, Consumer<String> refusals) {
        this.ca = ca;
        this.callersMustBeReplicas = callersMustBeReplicas;
        this.refusals = refusals;
    }

    /** The replica id a certificate names, if it is a replica's. */
    static OptionalInt replicaId(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn && cn.startsWith(REPLICA_CN_PREFIX)) {
                    return OptionalInt.of(Integer.parseInt(cn.substring(REPLICA_CN_PREFIX.length())));
                }
            }
        } catch (InvalidNameException | NumberFormatException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    private void requireReplica(X509Certificate[] chain, String who) throws CertificateException {
        if (chain == null || chain.length == 0 || replicaId(chain[0]).isEmpty()) {
            String subject = chain == null || chain.length == 0 ? "none" : chain[0].getSubjectX500Principal().getName();
            String message = who + " presented the certificate " + subject + ", which is not a replica's (CN=" + REPLICA_CN_PREFIX + "N)";
            refusals.accept(message);
            throw new CertificateException(message);
        }
    }

    private void callers(X509Certificate[] chain) throws CertificateException {
        if (callersMustBeReplicas) {
            requireReplica(chain, "a caller of the peer port");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        ca.checkClientTrusted(chain, authType, socket);
        callers(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        ca.checkClientTrusted(chain, authType, engine);
        callers(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        ca.checkClientTrusted(chain, authType);
        callers(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        ca.checkServerTrusted(chain, authType, socket);
        requireReplica(chain, "a server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        ca.checkServerTrusted(chain, authType, engine);
        requireReplica(chain, "a server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        ca.checkServerTrusted(chain, authType);
        requireReplica(chain, "a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca.getAcceptedIssuers();
    }
}
