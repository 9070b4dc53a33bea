package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.rmi.TimeoutClientSocketFactory;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import chorus.server.transport.PeerDoor;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RemoteObjectInvocationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer service listens apart from clients: on the configured peer port, or on a free one. */
class PeerPortIT {

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static int configuredPeerPort;

    @BeforeAll
    static void start() {
        List<ReplicaAddress> replicas = new ArrayList<>(LoopbackPorts.replicas(3));
        configuredPeerPort = LoopbackPorts.free(1).get(0);
        replicas.set(0, replicas.get(0).withPeerPort(configuredPeerPort));
        cluster = LocalCluster.start(new ClusterConfig(replicas, LocalCluster.TEST_TIMEOUTS), dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void thePeerServiceListensOnTheConfiguredPeerPort() throws Exception {
        assertThat(peerStubPort(1)).isEqualTo(configuredPeerPort);
    }

    @Test
    void withoutAPeerPortThePeerServiceStillListensApartFromClients() throws Exception {
        for (int id = 2; id <= 3; id++) {
            assertThat(peerStubPort(id)).isNotEqualTo(cluster.address(id).port()).isPositive();
        }
    }

    @Test
    void writesCommitOnEveryReplicaOverThePeerPorts() throws Exception {
        for (int coordinator = 1; coordinator <= 3; coordinator++) {
            cluster.connection(coordinator).kv().put("via-" + coordinator, "v");
            for (int reader = 1; reader <= 3; reader++) {
                assertThat(cluster.connection(reader).kv().get("via-" + coordinator).value()).isEqualTo("v");
            }
        }
    }

    /** The port in the endpoint of the peer door (on the peer port with the peer service) that replica {@code id}'s registry hands out. */
    private static int peerStubPort(int id) throws Exception {
        ReplicaAddress a = cluster.address(id);
        PeerDoor stub = (PeerDoor) LocateRegistry.getRegistry(a.host(), a.port(), new TimeoutClientSocketFactory(1000, 8000))
                .lookup(PeerDoor.NAME);
        String ref = ((RemoteObjectInvocationHandler) Proxy.getInvocationHandler(stub)).getRef().remoteToString();
        Matcher m = Pattern.compile("endpoint:\\[" + Pattern.quote(a.host()) + ":(\\d+)").matcher(ref);
        assertThat(m.find()).as("endpoint in %s", ref).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
