package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.api.KeyValueService;
import chorus.api.model.Mutation;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a replica lets in from the network. */
class SecurityIT {

    @TempDir
    static Path dir;
    @Replicas(1)
    static LocalCluster cluster;

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aClassOutsideTheApiIsRefusedBeforeItIsBuilt() throws Exception {
        Path marker = dir.resolve("canary-was-built");
        KeyValueService kv = cluster.connection(1).kv();
        List smuggled = new ArrayList<>();
        smuggled.add(new SerializationCanary(marker));
        assertThatThrownBy(() -> kv.execute((List<Mutation>) smuggled))
                .isInstanceOf(RemoteException.class)
                .hasStackTraceContaining("REJECTED");
        assertThat(marker).doesNotExist();
        // The replica is unharmed and keeps serving.
        assertThat(kv.put("after-canary", "fine").version()).isEqualTo(1);
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void theReplicaListensOnItsConfiguredAddressOnly() throws Exception {
        var a = cluster.address(1);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", a.port()), 1000);
            assertThat(s.isConnected()).isTrue();
        }
        // 127.0.0.2 is loopback too, but not the configured address: nothing listens there.
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.2", a.port()), 1000);
            }
        }).isInstanceOf(java.net.ConnectException.class);
    }
}
