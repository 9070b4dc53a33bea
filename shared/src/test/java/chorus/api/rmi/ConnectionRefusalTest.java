package chorus.api.rmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.ConnectIOException;
import java.rmi.registry.LocateRegistry;
import org.junit.jupiter.api.Test;

/** A client's RMI call to a replica that turns its connection away reports the replica's reason. */
class ConnectionRefusalTest {

    @Test
    void anRmiCallMetByARefusalLineFailsWithTheReplicasReason() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread replica = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(ConnectionRefusal.line(3, "the connection: too many client connections (limit 1)"));
                } catch (Exception e) {
                    // the test fails on its own assertion
                }
            });
            replica.start();
            var registry = LocateRegistry.getRegistry("127.0.0.1", server.getLocalPort(), new TimeoutClientSocketFactory(1000, 5000));
            assertThatThrownBy(() -> registry.lookup("chorus.kv"))
                    .isInstanceOf(ConnectIOException.class)
                    .cause()
                    .isInstanceOf(RefusedConnectionException.class)
                    .hasMessage("replica 3 at 127.0.0.1:" + server.getLocalPort()
                            + " refused the connection: too many client connections (limit 1)");
            replica.join(5000);
        }
    }

    @Test
    void aLineThatIsNotQuiteOursStillReadsAsARefusal() {
        RefusedConnectionException e = ConnectionRefusal.parse("CHORUS-REFUSED too busy", "h:1");
        assertThat(e).hasMessage("the replica at h:1 refused too busy");
        assertThat(e.what()).isEqualTo("too busy");
    }
}
