package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.TransactionAbortedException;
import chorus.api.config.ClusterConfig;
import chorus.api.rmi.ReplicaConnector;
import chorus.server.PeerSecrets;
import chorus.server.LoopbackPorts;
import chorus.server.ReplicaMain;
import chorus.server.testing.LocalCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica process refuses a bad environment with one clear line and a non-zero exit, and touches no data. */
class ReplicaMainIT {

    @TempDir
    Path dir;

    private record Exit(int code, String output) {
    }

    private Exit run(String... args) throws Exception {
        return runWith(ReplicaMain.REQUIRED_JVM_OPTIONS, args);
    }

    private Exit runWith(List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "chorus.server.ReplicaMain"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("replica did not exit: " + out);
        }
        return new Exit(p.exitValue(), out);
    }

    /** A cluster file of {@code text} and, unless it names one, a cluster secret. */
    private Path config(String text) throws IOException {
        Path f = dir.resolve("cluster-" + System.nanoTime() + ".properties");
        if (!text.contains("peer.secret-file")) {
            text += "peer.secret-file = " + PeerSecrets.createIfAbsent(dir.resolve("peer-secret")) + "\n";
        }
        Files.writeString(f, text);
        return f;
    }

    private static String errorLine(Exit e) {
        return e.output().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("(no error line) " + e.output());
    }

    @Test
    void aClusterFileThatNamesNoSecretIsRefusedBeforeAnythingIsOpened() throws Exception {
        Path data = dir.resolve("no-secret-data");
        Path conf = dir.resolve("no-secret.properties");
        Files.writeString(conf, "replica.1 = 127.0.0.1:1\n");
        Exit e = run("--config", conf.toString(), "--id", "1", "--data", data.toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(errorLine(e)).contains("names no peer.secret-file");
        assertThat(data).doesNotExist();
    }

    @Test
    void withoutTheRegistryExportTheReplicaSaysWhichOptionItNeeds() throws Exception {
        Path data = dir.resolve("no-export-data");
        Exit e = runWith(List.of(), "--config", config("replica.1 = 127.0.0.1:1\n").toString(), "--id", "1", "--data", data.toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(errorLine(e)).contains("needs the JVM option --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED");
        assertThat(data).doesNotExist();
    }

    @Test
    void aMissingClusterFileIsNamed() throws Exception {
        Exit e = run("--config", dir.resolve("nope.properties").toString(), "--id", "1", "--data", dir.resolve("d").toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(errorLine(e)).contains("nope.properties does not exist");
    }

    @Test
    void aMalformedOrContradictoryClusterFileIsNamed() throws Exception {
        Exit e = run("--config", config("replica.1 = 127.0.0.1:7\nreplica.2 = 127.0.0.1:7\n").toString(), "--id", "1",
                "--data", dir.resolve("d").toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(errorLine(e)).contains("share the address 127.0.0.1:7");
        Exit f = run("--config", config("replica.1 = 127.0.0.1:7\ntimeout.vote.ms = soon\n").toString(), "--id", "1",
                "--data", dir.resolve("d").toString());
        assertThat(errorLine(f)).contains("timeout.vote.ms = 'soon' is not a whole number");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void anUnknownReplicaIdIsNamed() throws Exception {
        Exit e = run("--config", config("replica.1 = 127.0.0.1:7\n").toString(), "--id", "4", "--data", dir.resolve("d").toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(errorLine(e)).isEqualTo("error: unknown replica id 4; the cluster has 1");
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Exit e = run("--config", config("replica.1 = 127.0.0.1:" + taken.getLocalPort() + "\n").toString(), "--id", "1",
                    "--data", dir.resolve("d").toString());
            assertThat(e.code()).isEqualTo(4);
            assertThat(errorLine(e)).isEqualTo("error: replica 1 cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": port already in use");
        }
    }

    @Test
    void aDataDirectoryInUseByAnotherReplicaIsRefused() throws Exception {
        try (LocalCluster running = LocalCluster.start(1, dir.resolve("running"))) {
            running.connection(1).kv().put("keep", "me");
            int otherPort = LoopbackPorts.free(1).get(0);
            Exit e = run("--config", config("replica.1 = 127.0.0.1:" + otherPort + "\n").toString(), "--id", "1",
                    "--data", running.dataDir(1).toString());
            assertThat(e.code()).isEqualTo(3);
            assertThat(errorLine(e)).contains(running.dataDir(1).toString()).contains("in use by another replica process");
            assertThat(running.connection(1).kv().get("keep").value()).isEqualTo("me");
        }
    }

    @Test
    void corruptedStorageIsRefusedNamingTheDirectoryInsteadOfStartingEmpty() throws Exception {
        Path data;
        try (LocalCluster once = LocalCluster.start(1, dir.resolve("once"))) {
            once.connection(1).kv().put("precious", "data");
            data = once.dataDir(1);
            once.stop(1);
        }
        Path manifest;
        try (Stream<Path> files = Files.list(data)) {
            manifest = files.filter(p -> p.getFileName().toString().startsWith("MANIFEST")).findFirst().orElseThrow();
        }
        Files.write(manifest, new byte[] {42, 42, 42});
        int port = LoopbackPorts.free(1).get(0);
        Exit e = run("--config", config("replica.1 = 127.0.0.1:" + port + "\n").toString(), "--id", "1", "--data", data.toString());
        assertThat(e.code()).isEqualTo(3);
        assertThat(errorLine(e)).contains(data.toString()).contains("corrupted").contains("refusing to start");
    }

    @Test
    void aReplicaOfAnotherClusterAnsweringOnAConfiguredAddressIsNeverTakenForAPeer() throws Exception {
        try (LocalCluster other = LocalCluster.start(1, dir.resolve("other"))) {
            int port = LoopbackPorts.free(1).get(0);
            // Our replica 2 is configured where the other cluster's replica 1 listens (a stale file).
            Path conf = config("replica.1 = 127.0.0.1:" + port + "\nreplica.2 = " + other.address(1).hostPort() + "\n");
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                    ReplicaMain.REQUIRED_JVM_OPTIONS.get(0), "-cp", System.getProperty("java.class.path"), "chorus.server.ReplicaMain", "--config", conf.toString(),
                    "--id", "1", "--data", dir.resolve("ours").toString());
            Process ours = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("ours.log").toFile()).start();
            try {
                var config = ClusterConfig.load(conf);
                var connector = new ReplicaConnector(config);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> connector.connect(config.require(1)).admin().status().id() == 1);
                var kv = connector.connect(config.require(1)).kv();
                assertThatThrownBy(() -> kv.put("k", "v"))
                        .isInstanceOf(TransactionAbortedException.class)
                        .hasMessageContaining("replica 2 is unreachable")
                        .hasMessageContaining("belongs to another cluster");
                assertThat(other.connection(1).kv().get("k").found()).isFalse();
                assertThat(other.status(1).inFlight()).isZero();
            } finally {
                ours.destroyForcibly();
                ours.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsNamed() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        int port = LoopbackPorts.free(1).get(0);
        Exit e = run("--config", config("replica.1 = 127.0.0.1:" + port + "\n").toString(), "--id", "1",
                "--data", file.resolve("data").toString());
        assertThat(e.code()).isEqualTo(3);
        assertThat(errorLine(e)).contains("cannot create data directory " + file.resolve("data"));
    }
}
