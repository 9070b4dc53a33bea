package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.NotPermittedException;
import chorus.api.config.Security;
import chorus.api.config.Timeouts;
import chorus.api.rmi.RefusedConnectionException;
import chorus.api.rmi.ReplicaConnection;
import chorus.api.rmi.ReplicaConnector;
import chorus.api.rmi.TlsSockets;
import chorus.server.testing.LocalCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS between every process of the cluster, and the operator token on state-changing admin calls. */
class TlsAndTokenIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static Security security;

    @BeforeAll
    static void startCluster() throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Files.writeString(tls.resolve("password"), "test-password-1\n");
        Files.writeString(tls.resolve("token"), "the-operator-token\n");
        identity(tls, "chorus");
        keytool(tls, "-exportcert", "-alias", "chorus", "-keystore", "chorus.p12", "-storepass", "test-password-1", "-file", "chorus.crt");
        keytool(tls, "-importcert", "-noprompt", "-alias", "chorus", "-file", "chorus.crt", "-keystore", "trust.p12",
                "-storetype", "PKCS12", "-storepass", "test-password-1");
        // A stranger: a key pair of its own that trusts the cluster, but that the cluster does not trust.
        identity(tls, "stranger");
        security = new Security(true, tls.resolve("chorus.p12").toString(), tls.resolve("trust.p12").toString(),
                tls.resolve("password").toString(), tls.resolve("token").toString());
        cluster = LocalCluster.start(3, dir.resolve("cluster"), LocalCluster.TEST_TIMEOUTS, security);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesCommitAcrossReplicasThatTalkTls() throws Exception {
        ReplicaConnection c = cluster.connection(2);
        assertThat(c.kv().put("secure", "yes").version()).isEqualTo(1);
        for (int r = 1; r <= 3; r++) {
            assertThat(cluster.connection(r).kv().get("secure").value()).isEqualTo("yes");
        }
    }

    @Test
    void aClientWhoseCertificateTheClusterDoesNotTrustIsRefused() throws Exception {
        Path tls = dir.resolve("tls");
        Security strangerSecurity = new Security(true, tls.resolve("stranger.p12").toString(), tls.resolve("trust.p12").toString(),
                tls.resolve("password").toString(), null);
        SSLContext stranger = TlsSockets.load(strangerSecurity);
        var a = cluster.address(1);
        assertThatThrownBy(() -> {
            try (SSLSocket s = (SSLSocket) stranger.getSocketFactory().createSocket(a.host(), a.port())) {
                s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(5));
                s.startHandshake();
                // TLS 1.3 lets the client finish first; the refusal arrives on the first read.
                s.getOutputStream().write("JRMI".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                if (in.read() < 0) {
                    throw new IOException("closed by the replica");
                }
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void aClientWithoutTlsIsRefused() {
        ReplicaConnector plain = new ReplicaConnector(LocalCluster.TEST_TIMEOUTS, Security.NONE);
        assertThatThrownBy(() -> plain.connect(cluster.address(1)).admin().status()).isInstanceOf(RemoteException.class);
    }

    @Test
    void stateChangingAdminCallsNeedTheOperatorToken() throws Exception {
        Security withoutToken = new Security(true, security.keyStore(), security.trustStore(), security.passwordFile(), null);
        ReplicaConnection anonymous = new ReplicaConnector(LocalCluster.TEST_TIMEOUTS, withoutToken).connect(cluster.address(3));
        // Reading is open to any trusted client...
        assertThat(anonymous.admin().status().id()).isEqualTo(3);
        // ...changing state is not.
        assertThatThrownBy(() -> anonymous.admin().setSimulatedFailure(true))
                .isInstanceOf(NotPermittedException.class).hasMessageContaining("requires the operator token");
        assertThatThrownBy(() -> anonymous.admin().withToken("guess")).isInstanceOf(NotPermittedException.class)
                .hasMessage("replica 3 refused the operator token");
        assertThat(cluster.status(3).simulatedFailure()).isFalse();

        ReplicaConnection operator = cluster.connection(3);
        operator.admin().setSimulatedFailure(true);
        assertThat(cluster.status(3).simulatedFailure()).isTrue();
        operator.admin().setSimulatedFailure(false);
        assertThat(cluster.status(3).simulatedFailure()).isFalse();
        // The replica's log never shows the token.
        assertThat(Files.readString(cluster.logFile(3))).doesNotContain("the-operator-token");
    }

    @Test
    void aConnectionPastTheLimitIsRefusedWithTheReasonOverTlsToo() throws Exception {
        var a = cluster.address(2);
        int limit = cluster.config().limits().maxConnections();
        List<Socket> idle = new ArrayList<>();
        try {
            // Plain TCP connections that never start TLS hold slots until they close (or go idle).
            for (int i = 0; i < limit + 10; i++) {
                idle.add(new Socket(a.host(), a.port()));
            }
            // A client with no connection pooled there (its factory differs from the harness's).
            Timeouts t = LocalCluster.TEST_TIMEOUTS;
            Timeouts distinct = new Timeouts(t.connect(), t.read().plusMillis(7), t.vote(), t.ack(), t.prepared(), t.readWait(),
                    t.lockWait(), t.retryBackoff(), t.resolveInterval(), t.conflictRetries());
            assertThatThrownBy(() -> new ReplicaConnector(distinct, security).connect(a))
                    .hasRootCauseInstanceOf(RefusedConnectionException.class)
                    .rootCause().hasMessage("replica 2 at " + a.hostPort() + " refused the connection: too many client connections (limit "
                            + limit + ")");
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        await("replica 2 serving TLS clients again").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(cluster.connection(2).kv().get("secure").replica()).isEqualTo(2));
    }

    private static void identity(Path tls, String name) throws Exception {
        keytool(tls, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "30", "-dname", "CN=" + name, "-keystore", name + ".p12", "-storetype", "PKCS12",
                "-storepass", "test-password-1", "-keypass", "test-password-1");
    }

    private static void keytool(Path cwd, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
