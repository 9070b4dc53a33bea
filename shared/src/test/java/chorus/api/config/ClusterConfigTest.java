package chorus.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    @Test
    void parsesReplicasAndTimeouts() {
        ClusterConfig c = ClusterConfig.parse("""
                replica.2 = 10.0.0.2:7102
                replica.1 = host-one:7101
                replica.3 = [::1]:7103
                timeout.vote.ms = 500
                timeout.lock-wait.ms = 200
                timeout.read.ms = 4000
                """, "test");
        assertThat(c.ids()).containsExactly(1, 2, 3);
        assertThat(c.require(1).host()).isEqualTo("host-one");
        assertThat(c.require(3).host()).isEqualTo("::1");
        assertThat(c.require(3).hostPort()).isEqualTo("[::1]:7103");
        assertThat(c.timeouts().vote()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.timeouts().read()).isEqualTo(Duration.ofMillis(4000));
        assertThat(c.timeouts().ack()).isEqualTo(Timeouts.DEFAULTS.ack());
    }

    @Test
    void settingsMayComeInAnyOrderAsLongAsTheEndResultIsConsistent() {
        // read=2500 alone would be too short for the default vote timeout; with vote=1000 it is fine.
        ClusterConfig c = ClusterConfig.parse("replica.1=127.0.0.1:1\ntimeout.read.ms=2500\ntimeout.vote.ms=1000\ntimeout.lock-wait.ms=300\n", "t");
        assertThat(c.timeouts().read().toMillis()).isEqualTo(2500);
    }

    @Test
    void roundTripsThroughItsFileForm() {
        ClusterConfig c = ClusterConfig.localhost(5, 7101, Timeouts.DEFAULTS);
        assertThat(ClusterConfig.parse(c.toProperties(), "round-trip")).isEqualTo(c);
    }

    @Test
    void coordinationIsTheLeaderUnlessTheFileAsksForTheReceiver() {
        ClusterConfig received = ClusterConfig.parse("replica.2=127.0.0.1:7102\nreplica.1=127.0.0.1:7101\nreplica.3=127.0.0.1:7103\n"
                + "coordination = receiver", "f");
        assertThat(received.coordination()).isEqualTo(Coordination.RECEIVER);
        assertThat(received.coordinatorFor(3)).isEqualTo(3);

        ClusterConfig led = ClusterConfig.parse("replica.2=127.0.0.1:7102\nreplica.3=127.0.0.1:7103", "f");
        assertThat(led.coordination()).isEqualTo(Coordination.LEADER);
        assertThat(led.coordinatorFor(3)).as("the lowest id leads").isEqualTo(2);
        assertThat(led.coordinatorFor(2)).isEqualTo(2);
        assertThat(ClusterConfig.parse(led.toProperties(), "round-trip")).isEqualTo(led);

        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ncoordination=primary", "f.properties"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("f.properties").hasMessageContaining("coordination = 'primary' must be one of receiver, leader");
    }

    @Test
    void theDecisionRideWaitIsReadBoundedAndWrittenBack() {
        ClusterConfig plain = ClusterConfig.parse("replica.1=127.0.0.1:7101", "f");
        assertThat(plain.decisionRideWait()).as("the leader's default").isEqualTo(ClusterConfig.LEADER_RIDE_WAIT);
        assertThat(plain.withCoordination(Coordination.RECEIVER).decisionRideWait()).as("the receiver's default").isZero();
        assertThat(ClusterConfig.parse(plain.toProperties(), "round-trip")).isEqualTo(plain);
        ClusterConfig riding = ClusterConfig.parse("replica.1=127.0.0.1:7101\ndecision.ride-wait.ms = 3", "f");
        assertThat(riding.decisionRideWait()).isEqualTo(java.time.Duration.ofMillis(3));
        assertThat(ClusterConfig.parse(riding.toProperties(), "round-trip")).isEqualTo(riding);

        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ndecision.ride-wait.ms = 21", "f.properties"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("f.properties").hasMessageContaining("decision.ride-wait.ms = 21 is outside 0..20");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ndecision.ride-wait.ms = soon", "f.properties"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("decision.ride-wait.ms = 'soon' is not a whole number");
    }

    @Test
    void membershipSettingsAreReadCheckedAndWrittenBack() {
        ClusterConfig plain = ClusterConfig.parse("replica.1=127.0.0.1:7101", "f");
        assertThat(plain.membership()).isEqualTo(MembershipSettings.DEFAULTS);
        assertThat(plain.membership().autoExcludeAfter()).as("off unless the file turns it on").isZero();
        ClusterConfig auto = ClusterConfig.parse("replica.1=127.0.0.1:7101\nmembership.lease-ms = 2000\n"
                + "membership.lease-margin-ms = 200\nmembership.auto-exclude-after-ms = 2500", "f");
        assertThat(auto.membership()).isEqualTo(new MembershipSettings(java.time.Duration.ofMillis(2000),
                java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(2500)));
        assertThat(ClusterConfig.parse(auto.toProperties(), "round-trip")).isEqualTo(auto);

        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nmembership.auto-exclude-after-ms = 1000", "f.properties"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("f.properties")
                .hasMessageContaining("membership.auto-exclude-after-ms = 1000 is below half the lease (1500 ms)");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nmembership.auto-exclude-after-ms = -1", "f.properties"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("membership.auto-exclude-after-ms = -1 is negative");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nmembership.lease-margin-ms = 2000", "f.properties"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("membership.lease-margin-ms = 2000 is outside 0..1500");
    }

    @Test
    void theShippedClusterFileTurnsAutomaticMembershipOn() throws Exception {
        java.nio.file.Path shipped = java.nio.file.Path.of("..", "conf", "cluster.properties");
        ClusterConfig c = ClusterConfig.parse(java.nio.file.Files.readString(shipped), shipped.toString());
        assertThat(c.membership().autoExcludeAfter()).isEqualTo(java.time.Duration.ofMillis(3000));
    }

    @Test
    void rejectsBrokenFilesWithTheFileAndEntryNamed() {
        assertThatThrownBy(() -> ClusterConfig.parse("", "f.properties"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("f.properties").hasMessageContaining("no replicas");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.x=127.0.0.1:1", "f"))
                .hasMessageContaining("'replica.x' should be replica.<id>");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=127.0.0.1", "f"))
                .hasMessageContaining("replica.1").hasMessageContaining("not host:port");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=127.0.0.1:99999", "f"))
                .hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.10=127.0.0.1:1", "f"))
                .hasMessageContaining("out of range 1..9");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.2=a:1", "f"))
                .hasMessageContaining("share the address a:1");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ntimeout.vote.ms=abc", "f"))
                .hasMessageContaining("timeout.vote.ms = 'abc' is not a whole number");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ntimeout.vote.ms=-1", "f"))
                .hasMessageContaining("vote timeout must be positive");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ntimeout.read.ms=100", "f"))
                .hasMessageContaining("read timeout (100 ms) must exceed");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ntimout.vote.ms=5", "f"))
                .hasMessageContaining("unknown setting 'timout.vote.ms'");
        assertThatThrownBy(() -> ClusterConfig.load(Path.of("/nonexistent/cluster.properties")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void securityPathsAreRelativeToTheClusterFileAndSecretsStayInTheirFiles(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        Path file = dir.resolve("cluster.properties");
        java.nio.file.Files.writeString(file, "replica.1=127.0.0.1:1\ntls.enabled=true\ntls.keystore=k.p12\n"
                + "tls.truststore=t.p12\ntls.password-file=pw\nadmin.token-file=sub/token\n");
        java.nio.file.Files.createDirectories(dir.resolve("sub"));
        java.nio.file.Files.writeString(dir.resolve("sub/token"), "  s3cret\n");
        ClusterConfig c = ClusterConfig.load(file);
        assertThat(c.security().tls()).isTrue();
        assertThat(c.security().keyStore()).isEqualTo(dir.resolve("k.p12").toString());
        assertThat(c.security().readToken()).contains("s3cret");
        assertThat(c.security().toString()).doesNotContain("s3cret").doesNotContain("token-file");
        assertThat(ClusterConfig.parse(c.toProperties(), "again").security()).isEqualTo(c.security());
    }

    @Test
    void theClusterSecretAndTheReplicasKeyStoresAreNamedRelativeToTheFile(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        Path file = dir.resolve("cluster.properties");
        java.nio.file.Files.writeString(file, "replica.1=127.0.0.1:1\nreplica.2=127.0.0.1:2\ntls.enabled=true\ntls.keystore=client.p12\n"
                + "tls.replica-keystore=replica-{id}.p12\ntls.truststore=t.p12\ntls.password-file=pw\npeer.secret-file=../run/secret\n");
        java.nio.file.Files.createDirectories(dir.resolve("../run"));
        java.nio.file.Files.writeString(dir.resolve("../run/secret"), "0123456789abcdef0123456789abcdef\n");
        ClusterConfig c = ClusterConfig.load(file);
        assertThat(c.security().peerSecretFile()).isEqualTo(dir.resolve("../run/secret").normalize().toString());
        assertThat(c.security().readPeerSecrets()).containsExactly("0123456789abcdef0123456789abcdef");
        assertThat(c.security().keyStore()).isEqualTo(dir.resolve("client.p12").toString());
        assertThat(c.security().forReplica(2).keyStore()).isEqualTo(dir.resolve("replica-2.p12").toString());
        assertThat(c.security().forReplica(2).peerSecretFile()).isEqualTo(c.security().peerSecretFile());
        assertThat(c.security().toString()).doesNotContain("0123456789");
        assertThat(ClusterConfig.parse(c.toProperties(), "again").security()).isEqualTo(c.security());
    }

    @Test
    void aMissingOrShortClusterSecretIsRefusedWithTheReason(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\n", "f").security().readPeerSecrets())
                .hasMessageContaining("names no peer.secret-file");
        Path shortSecret = java.nio.file.Files.writeString(dir.resolve("short"), "guessable\n");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\npeer.secret-file=" + shortSecret + "\n", "f").security()
                .readPeerSecrets())
                .hasMessageContaining("holds a secret of 9 characters; at least 32 are needed");
        Path two = java.nio.file.Files.writeString(dir.resolve("two"),
                "# next, then current\n" + "b".repeat(64) + "\n\n" + "a".repeat(64) + "\n");
        assertThat(ClusterConfig.parse("replica.1=a:1\npeer.secret-file=" + two + "\n", "f").security().readPeerSecrets())
                .containsExactly("b".repeat(64), "a".repeat(64));
    }

    @Test
    void incompleteOrMalformedSecuritySettingsAreRejected() {
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ntls.enabled=true\n", "f"))
                .hasMessageContaining("tls.enabled = true needs tls.keystore");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\ntls.enabled=yes\n", "f"))
                .hasMessageContaining("tls.enabled = 'yes' must be true or false");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nadmin.token-file=/nonexistent/token\n", "f").security().readToken())
                .hasMessageContaining("cannot read admin.token-file /nonexistent/token");
    }

    @Test
    void unknownReplicaIdIsNamed() {
        ClusterConfig c = ClusterConfig.localhost(3, 7101, Timeouts.DEFAULTS);
        assertThatThrownBy(() -> c.require(7)).hasMessage("unknown replica id 7; the cluster has 1, 2, 3");
    }

    @Test
    void aReplicaMayNameThePortOfItsPeerService() {
        ClusterConfig c = ClusterConfig.parse("replica.1=127.0.0.1:7101\nreplica.1.peer-port=7201\nreplica.2=127.0.0.1:7102\n", "f");
        assertThat(c.require(1).peerPort()).isEqualTo(7201);
        assertThat(c.require(2).peerPort()).as("absent: any free port").isZero();
        assertThat(ClusterConfig.parse(c.toProperties(), "again")).isEqualTo(c);
    }

    @Test
    void badPeerPortsAreRejectedWithTheKeyNamed() {
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.1.peer-port=x", "f"))
                .hasMessageContaining("replica.1.peer-port").hasMessageContaining("not a port number");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.1.peer-port=70000", "f"))
                .hasMessageContaining("replica.1.peer-port").hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.2.peer-port=7", "f"))
                .hasMessageContaining("replica.2.peer-port is set but replica.2 is not");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.1.peer-port=1", "f"))
                .hasMessageContaining("same as its client port");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.2=a:2\nreplica.1.peer-port=2", "f"))
                .hasMessageContaining("replica 1's peer port 2 is already used on a");
    }

    @Test
    void aReplicaServesHttpOnlyWhereItsPortIsNamed() {
        ClusterConfig c = ClusterConfig.parse("replica.1=127.0.0.1:7101\nreplica.1.http-port=7301\nreplica.2=127.0.0.1:7102\n", "f");
        assertThat(c.require(1).httpPort()).isEqualTo(7301);
        assertThat(c.require(1).servesHttp()).isTrue();
        assertThat(c.require(2).servesHttp()).as("absent: no HTTP").isFalse();
        assertThat(ClusterConfig.parse(c.toProperties(), "again")).isEqualTo(c);
    }

    @Test
    void badHttpPortsAreRejectedWithTheKeyNamed() {
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.1.http-port=x", "f"))
                .hasMessageContaining("replica.1.http-port").hasMessageContaining("not a port number");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.1.http-port=70000", "f"))
                .hasMessageContaining("replica.1.http-port").hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.2.http-port=7", "f"))
                .hasMessageContaining("replica.2.http-port is set but replica.2 is not");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.1.http-port=1", "f"))
                .hasMessageContaining("same as its client port");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.1.peer-port=5\nreplica.1.http-port=5", "f"))
                .hasMessageContaining("same as its peer port");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nreplica.2=a:2\nreplica.1.http-port=2", "f"))
                .hasMessageContaining("HTTP port 2 is already used on a");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.x.http-port=2", "f"))
                .hasMessageContaining("should be replica.<id>.http-port");
    }

    @Test
    void connectionLimitsHaveDefaultsAndMayBeSet() {
        assertThat(ClusterConfig.parse("replica.1=a:1", "f").limits()).isEqualTo(ConnectionLimits.DEFAULTS);
        ClusterConfig c = ClusterConfig.parse("replica.1=a:1\nlimits.max-connections=10\nlimits.max-peer-connections=5\n"
                + "limits.idle-timeout.ms=2000\nlimits.request-budget.bytes=100000000", "f");
        assertThat(c.limits()).isEqualTo(new ConnectionLimits(10, 5, java.time.Duration.ofSeconds(2), 100_000_000));
        assertThat(ClusterConfig.parse(c.toProperties(), "again")).isEqualTo(c);
    }

    @Test
    void badConnectionLimitsAreRejectedWithTheKeyNamed() {
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nlimits.max-connections=0", "f"))
                .hasMessageContaining("f: limits.max-connections = 0 must be at least 1");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nlimits.max-peer-connections=many", "f"))
                .hasMessageContaining("limits.max-peer-connections = 'many' is not a whole number");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nlimits.idle-timeout.ms=10", "f"))
                .hasMessageContaining("limits.idle-timeout.ms = 10 must be at least 1000");
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nlimits.request-budget.bytes=1000", "f"))
                .hasMessageContaining("limits.request-budget.bytes = 1000 must hold one call").hasMessageContaining(
                        String.valueOf(chorus.api.Limits.MAX_REQUEST_BYTES));
        assertThatThrownBy(() -> ClusterConfig.parse("replica.1=a:1\nlimits.max-connections=99999999999", "f"))
                .hasMessageContaining("limits.max-connections = 99999999999 is too large");
    }
}
