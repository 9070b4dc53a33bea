package chorus.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Replicas listen on their configured address only, and keep accepted connections alive at the TCP level. */
class BoundServerSocketFactoryTest {

    @Test
    void listensOnTheConfiguredAddressAndAcceptedConnectionsHaveKeepAliveOn() throws Exception {
        try (ServerSocket server = new BoundServerSocketFactory("client", "127.0.0.1", null).createServerSocket(0);
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            assertThat(server.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(client.getKeepAlive()).as("the caller's side is untouched").isFalse();
            assertThat(accepted.getKeepAlive()).isTrue();
            assertThat(accepted.getSoTimeout()).isZero();
        }
    }
}
