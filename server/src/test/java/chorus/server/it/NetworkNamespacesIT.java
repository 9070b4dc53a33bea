package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.TransactionAbortedException;
import chorus.api.config.ReplicaAddress;
import chorus.api.model.AbortCause;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.NamespaceHosts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five replicas as five hosts: each in its own network namespace with its own address, joined by
 * veth pairs to a bridge. The cluster works across them; cutting one host's link makes writes abort
 * with that replica's timeout; healing the link makes them commit again. Needs root and iproute2 (CI
 * runs as root); without them it fails and says what is missing, it does not skip.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkNamespacesIT {

    private static final int PORT = 7101;

    @TempDir
    static Path dir;
    static NamespaceHosts hosts;
    static LocalCluster cluster;

    @BeforeAll
    static void startHostsAndReplicas() {
        hosts = NamespaceHosts.create(5);
        List<ReplicaAddress> addresses = new ArrayList<>();
        for (int h = 1; h <= 5; h++) {
            addresses.add(new ReplicaAddress(h, hosts.address(h), PORT));
        }
        cluster = LocalCluster.onAddresses(dir, addresses, LocalCluster.TEST_TIMEOUTS, hosts::exec);
        for (int id = 1; id <= 5; id++) {
            cluster.launch(id, java.util.Map.of());
        }
        for (int id = 1; id <= 5; id++) {
            cluster.awaitUp(id);
        }
    }

    @AfterAll
    static void tearDown() {
        // Processes first (by pid), then the namespaces and links; each step runs even if the other failed.
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    @Test
    @Order(1)
    void theClusterWorksAcrossFiveHosts() throws Exception {
        for (int id = 1; id <= 5; id++) {
            assertThat(cluster.status(id).address()).isEqualTo(hosts.address(id) + ":" + PORT);
        }
        WriteResult w = cluster.connection(2).kv().put("netns", "across hosts");
        assertThat(w.version()).isEqualTo(1);
        for (int id = 1; id <= 5; id++) {
            assertThat(cluster.connection(id).kv().get("netns").value()).isEqualTo("across hosts");
        }
    }

    @Test
    @Order(2)
    void cuttingOneHostsLinkMakesWritesAbortWithItsTimeoutAndHealingMakesThemCommit() throws Exception {
        hosts.cut(4);
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> cluster.connection(1).kv().put("netns-cut", "never"))
                    .isInstanceOfSatisfying(TransactionAbortedException.class, e -> {
                        System.out.println("with host 4 cut off: " + e.getMessage());
                        // An established connection times out at the vote timeout; a new one at the connect timeout.
                        assertThat(e.abortCause()).isIn(AbortCause.TIMEOUT, AbortCause.UNREACHABLE);
                        assertThat(e.reason()).contains("replica 4").containsAnyOf("did not vote within 1500 ms", "timed out");
                    });
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(millis).as("the abort came from a timeout, not at once").isGreaterThanOrEqualTo(900);
            // Reads of keys no prepared write holds keep working on the reachable hosts.
            assertThat(cluster.connection(3).kv().get("netns").value()).isEqualTo("across hosts");
        } finally {
            hosts.heal(4);
        }
        await("writes commit again after the link is healed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> cluster.connection(1).kv().put("netns-cut", "healed").versions().size() == 1);
        await("every host has the write").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .untilAsserted(() -> {
                    for (int id = 1; id <= 5; id++) {
                        ReadResult r = cluster.connection(id).kv().get("netns-cut");
                        assertThat(r.value()).as("replica %d", id).isEqualTo("healed");
                        assertThat(cluster.status(id).inDoubt()).isZero();
                    }
                });
    }
}
