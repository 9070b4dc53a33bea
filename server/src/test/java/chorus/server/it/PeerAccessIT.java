package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.KeyValueService;
import chorus.api.NotPermittedException;
import chorus.api.ReplicaAdmin;
import chorus.api.TransactionAbortedException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.model.Decision;
import chorus.api.model.View;
import chorus.api.model.EventType;
import chorus.api.model.Mutation;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.TxId;
import chorus.server.PeerSecrets;
import chorus.server.ReplicaMain;
import chorus.server.protocol.PrepareRequest;
import chorus.server.protocol.TxAge;
import chorus.server.testing.LocalCluster;
import chorus.server.transport.PeerDoor;
import chorus.server.transport.PeerService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.AccessException;
import java.rmi.Remote;
import java.rmi.ServerException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only replicas of the cluster make peer calls, and nobody rewrites a replica's registry: the
 * attacks of the hostile probe (issue 22), run as a process on the same host would run them.
 */
class PeerAccessIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(5, dir.resolve("cluster"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /**
     * The probe's attack: whatever peer service it can reach on replica 3, it sends PREPARE and
     * COMMIT of a transaction of its own. Before peers were authenticated the registry handed the
     * service out, and replica 3 alone kept "EVIL-ONLY-ON-R3" for good.
     */
    @Test
    void aCallerWithoutTheClusterSecretCannotCommitAWriteOnOneReplica() throws Exception {
        cluster.connection(1).kv().put("greeting", "hello");
        ReplicaAddress r3 = cluster.address(3);
        Registry registry = LocateRegistry.getRegistry(r3.host(), r3.port());
        List<String> names = new ArrayList<>(List.of(registry.list()));
        names.add("chorus.peer");
        int reached = 0;
        for (String name : names) {
            Remote found;
            try {
                found = registry.lookup(name);
            } catch (java.rmi.NotBoundException e) {
                continue;
            }
            if (found instanceof PeerService peer) {
                reached++;
                TxId tx = new TxId(9, 1, 1);
                peer.prepare(new PrepareRequest(View.initial(List.of(1, 2, 3, 4, 5)), tx, new TxAge(System.currentTimeMillis(), 9, 1),
                        List.of(Mutation.put("greeting", "EVIL-ONLY-ON-R3"))));
                peer.decide(tx, Decision.COMMIT);
            }
        }
        assertThat(reached).as("peer services handed out by the registry").isZero();

        // The door: a made-up proof, and a proof for a challenge it never issued, are refused.
        PeerDoor door = (PeerDoor) registry.lookup(PeerDoor.NAME);
        byte[] challenge = door.challenge();
        assertThatThrownBy(() -> door.open(1, challenge, random(32), random(32)))
                .isInstanceOf(NotPermittedException.class)
                .hasMessageContaining("replica 3 refused peer access")
                .hasMessageContaining("wrong proof of the cluster secret");
        // A refused challenge is spent: it cannot be tried again.
        assertThatThrownBy(() -> door.open(1, challenge, random(32), random(32)))
                .isInstanceOf(NotPermittedException.class)
                .hasMessageContaining("unknown, already used");
        assertThatThrownBy(() -> door.open(1, random(32), random(32), random(32)))
                .isInstanceOf(NotPermittedException.class)
                .hasMessageContaining("unknown, already used");

        for (int id = 1; id <= 5; id++) {
            assertThat(cluster.connection(id).kv().get("greeting").value()).as("replica %d", id).isEqualTo("hello");
        }
        assertThat(refusals(3)).anySatisfy(e -> assertThat(e.reason()).contains("wrong proof of the cluster secret"));
        // The replica is unharmed: writes through it commit everywhere.
        cluster.connection(3).kv().put("greeting", "hello again");
        for (int id = 1; id <= 5; id++) {
            int r = id;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "hello again".equals(cluster.connection(r).kv().get("greeting").value()));
        }
    }

    /**
     * The probe's second attack: {@code unbind("chorus.kv")} on replica 2 made it "answers but is
     * not a Chorus replica", and a rebind could swap in another replica's stub.
     */
    @Test
    void noCallerCanBindRebindOrUnbindAReplicasNames() throws Exception {
        ReplicaAddress r2 = cluster.address(2);
        Registry registry = LocateRegistry.getRegistry(r2.host(), r2.port());
        KeyValueService othersKv = (KeyValueService) LocateRegistry.getRegistry(cluster.address(4).host(), cluster.address(4).port())
                .lookup(KeyValueService.NAME);

        assertThatThrownBy(() -> registry.unbind(KeyValueService.NAME))
                .isInstanceOf(ServerException.class).hasRootCauseInstanceOf(AccessException.class).hasMessageContaining("registry of replica 2 is read-only");
        // A stub offered to bind or rebind is refused by the registry's serialization filter, before
        // the read-only registry is even asked; either way nothing changes.
        assertThatThrownBy(() -> registry.rebind(KeyValueService.NAME, othersKv)).isInstanceOf(ServerException.class);
        assertThatThrownBy(() -> registry.bind("chorus.extra", othersKv)).isInstanceOf(ServerException.class);
        assertThatThrownBy(() -> registry.unbind(PeerDoor.NAME)).hasRootCauseInstanceOf(AccessException.class);

        assertThat(registry.list()).containsExactlyInAnyOrder(KeyValueService.NAME, ReplicaAdmin.NAME, PeerDoor.NAME);
        KeyValueService kv = (KeyValueService) registry.lookup(KeyValueService.NAME);
        assertThat(kv.put("registry-probe", "still replica 2").version()).isPositive();
        assertThat(cluster.status(2).id()).isEqualTo(2);
        assertThat(refusals(2)).anySatisfy(e -> assertThat(e.reason()).contains("unbind(chorus.kv)"));
    }

    /**
     * A replica whose cluster file names another secret (same members, same addresses) is no peer:
     * neither does its door open to the others, nor do theirs to it, and writes through it abort
     * naming the refusal.
     */
    @Test
    void aReplicaWithAnotherSecretIsRefusedBothWays() throws Exception {
        try (LocalCluster pair = LocalCluster.create(2, dir.resolve("pair"), LocalCluster.TEST_TIMEOUTS)) {
            pair.start(1);
            pair.awaitUp(1);
            Path wrongSecret = PeerSecrets.createIfAbsent(dir.resolve("wrong-secret"));
            ClusterConfig wrong = pair.config().withSecurity(pair.config().security().withPeerSecretFile(wrongSecret.toString()));
            Path wrongFile = dir.resolve("wrong-cluster.properties");
            Files.writeString(wrongFile, wrong.toProperties(), StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(ReplicaMain.JVM_OPTIONS);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "chorus.server.ReplicaMain",
                    "--config", wrongFile.toString(), "--id", "2", "--data", dir.resolve("wrong-data").toString()));
            Process impostor = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("impostor.log").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> pair.connection(2).admin().status().id() == 2);
                assertThatThrownBy(() -> pair.connection(1).kv().put("k", "through the real one"))
                        .isInstanceOf(TransactionAbortedException.class)
                        .hasMessageContaining("replica 2 refused peer access")
                        .hasMessageContaining("wrong proof of the cluster secret");
                assertThatThrownBy(() -> pair.connection(2).kv().put("k", "through the impostor"))
                        .isInstanceOf(TransactionAbortedException.class)
                        .hasMessageContaining("replica 1 refused peer access");
                // Nothing was written on either side. Neither serves reads: a read lease needs both of
                // the two replicas, and each refuses the other.
                assertThat(pair.connection(1).admin().contents("", 10).entries()).isEmpty();
                assertThat(pair.connection(2).admin().contents("", 10).entries()).isEmpty();
                assertThatThrownBy(() -> pair.connection(1).kv().get("k")).isInstanceOf(chorus.api.NotServingException.class)
                        .hasMessageContaining("replica 1 holds no read lease")
                        .hasMessageContaining("replica 2 refused peer access");
                assertThat(pair.status(1).inFlight()).isZero();
            } finally {
                impostor.destroyForcibly();
                impostor.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The rotation of docs/security.md, one replica restarted at a time, writes committing on every
     * replica after each restart: add the next secret second, then make it first, then drop the old.
     */
    @Test
    void theSecretRotatesOneReplicaAtATimeWithoutStoppingWrites() throws Exception {
        try (LocalCluster trio = LocalCluster.start(3, dir.resolve("trio"))) {
            Path file = Path.of(trio.config().security().peerSecretFile());
            String current = Files.readString(file).strip();
            String next = "f".repeat(64);
            int round = 0;
            for (String contents : List.of(current + "\n" + next, next + "\n" + current, next)) {
                Files.writeString(file, contents + "\n");
                for (int id = 1; id <= 3; id++) {
                    trio.restart(id);
                    String key = "rotation-" + round++;
                    trio.connection(id).kv().put(key, "v");
                    for (int r = 1; r <= 3; r++) {
                        assertThat(trio.connection(r).kv().get(key).value()).as("%s on replica %d", key, r).isEqualTo("v");
                    }
                }
            }
            assertThat(refusalsOf(trio, 1)).isEmpty();
        }
    }

    private static List<ProtocolEvent> refusalsOf(LocalCluster c, int id) {
        return c.events(id).stream().filter(e -> e.type() == EventType.ACCESS_REFUSED).toList();
    }

    private static List<ProtocolEvent> refusals(int id) {
        return refusalsOf(cluster, id);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
