package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.NotPermittedException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Security;
import chorus.api.config.Timeouts;
import chorus.api.model.EventType;
import chorus.api.rmi.RefusedConnectionException;
import chorus.api.rmi.ReplicaConnection;
import chorus.api.rmi.ReplicaConnector;
import chorus.api.rmi.TimeoutClientSocketFactory;
import chorus.api.rmi.TlsSockets;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.TlsMaterial;
import chorus.server.transport.PeerDoor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
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
        ClusterConfig made = TlsMaterial.create(new ClusterConfig(LoopbackPorts.replicasWithHttp(3), LocalCluster.TEST_TIMEOUTS),
                dir.resolve("run"));
        security = made.security();
        Path tls = dir.resolve("run").resolve("tls");
        // A stranger: a key pair of its own that trusts the cluster, but that the cluster does not trust.
        identity(tls, "stranger");
        cluster = LocalCluster.start(made, dir.resolve("cluster"));
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
        Path tls = dir.resolve("run").resolve("tls");
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
        assertThat(Files.readString(cluster.logFile(3))).doesNotContain(security.readToken().orElseThrow());
    }

    /**
     * The probe's attack in TLS mode: with the client certificate (from the cluster's own CA) it
     * reached the peer service. Now the door and the peer service listen on the peer port, which
     * takes replicas' certificates only.
     */
    @Test
    void aClientCertificateOfferedToThePeerPortIsRefused() throws Exception {
        ReplicaConnection client = new ReplicaConnector(LocalCluster.TEST_TIMEOUTS, security.withTokenFile(null))
                .connect(cluster.address(2));
        assertThat(client.admin().status().id()).isEqualTo(2);
        var a = cluster.address(2);
        PeerDoor door = (PeerDoor) LocateRegistry.getRegistry(a.host(), a.port(), new TimeoutClientSocketFactory(1000, 8000, true))
                .lookup(PeerDoor.NAME);
        assertThatThrownBy(door::challenge).isInstanceOf(RemoteException.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.events(2))
                .anySatisfy(e -> {
                    assertThat(e.type()).isEqualTo(EventType.ACCESS_REFUSED);
                    assertThat(e.reason()).contains("a caller of the peer port presented the certificate CN=chorus client");
                }));
        // Writes between the replicas, whose certificates are replicas', go on.
        assertThat(cluster.connection(2).kv().put("after-peer-probe", "ok").version()).isPositive();
        assertThat(cluster.connection(3).kv().get("after-peer-probe").value()).isEqualTo("ok");
    }

    /** Nor can a client certificate pose as a replica: servers must present a replica's. */
    @Test
    void aServerWithAClientCertificateIsNotTakenForAReplica() throws Exception {
        SSLContext asClient = TlsSockets.load(security);
        try (SSLServerSocket impostor = (SSLServerSocket) asClient.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serve = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) impostor.accept()) {
                    s.setSoTimeout(5000);
                    s.startHandshake();
                } catch (IOException expected) {
                    // the caller refuses the certificate
                }
            }, "impostor");
            serve.start();
            try (SSLSocket s = (SSLSocket) asClient.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    impostor.getLocalPort())) {
                s.setSoTimeout(5000);
                // The client certificate's extended key usage (clientAuth only) refuses it first;
                // a certificate without that limit would be refused for not naming a replica.
                assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasStackTraceContaining("ClusterTrust.checkServerTrusted");
            }
            serve.join(10_000);
        }
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
                "-storepass:file", "password", "-keypass:file", "password");
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

    @Test
    void theHttpApiSpeaksMutualTlsWithTheClustersCertificates() throws Exception {
        cluster.connection(1).kv().put("over-https", "yes");
        java.net.URI uri = java.net.URI.create("https://127.0.0.1:" + cluster.address(2).httpPort() + "/v1/kv/over-https");
        // The cluster's client identity, checking the replica's certificate and its host (127.0.0.1 in its SAN).
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(TlsSockets.load(security)).build();
        java.net.http.HttpResponse<String> ok = client.send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10))
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("yes");

        // A certificate the cluster does not trust, or none, is refused in the handshake.
        Path tls = dir.resolve("run").resolve("tls");
        Security strangerSecurity = new Security(true, tls.resolve("stranger.p12").toString(), tls.resolve("trust.p12").toString(),
                tls.resolve("password").toString(), null);
        java.net.http.HttpClient stranger = java.net.http.HttpClient.newBuilder().sslContext(TlsSockets.load(strangerSecurity)).build();
        assertThatThrownBy(() -> stranger.send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        javax.net.ssl.SSLContext trustOnly = javax.net.ssl.SSLContext.getInstance("TLS");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.resolve("trust.p12"))) {
            trust.load(in, Files.readString(tls.resolve("password")).trim().toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trustOnly.init(null, tmf.getTrustManagers(), null);
        java.net.http.HttpClient anonymous = java.net.http.HttpClient.newBuilder().sslContext(trustOnly).build();
        assertThatThrownBy(() -> anonymous.send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }
}
