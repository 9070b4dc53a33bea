package chorus.api.rmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A per-thread deadline that shortens the read timeout of the cluster's client sockets. */
class CallDeadlineTest {

    @Test
    void outsideADeadlineASocketKeepsItsOwnReadTimeout() {
        assertThat(CallDeadline.readTimeoutMillis(15_000)).isEqualTo(15_000);
        assertThat(CallDeadline.readTimeoutMillis(0)).isZero();
    }

    @Test
    void withinADeadlineTheTimeLeftBoundsItAndAnEnclosingEarlierDeadlineStillHolds() throws Exception {
        int inner = CallDeadline.within(Duration.ofSeconds(5), () -> CallDeadline.readTimeoutMillis(15_000));
        assertThat(inner).isBetween(1, 5_000);
        assertThat(CallDeadline.within(Duration.ofSeconds(5), () -> CallDeadline.readTimeoutMillis(2_000))).isEqualTo(2_000);
        // No timeout at all (0) becomes the time left, never 0.
        assertThat(CallDeadline.within(Duration.ofSeconds(5), () -> CallDeadline.readTimeoutMillis(0))).isBetween(1, 5_000);
        int nested = CallDeadline.within(Duration.ofMillis(300),
                () -> CallDeadline.within(Duration.ofSeconds(60), () -> CallDeadline.readTimeoutMillis(15_000)));
        assertThat(nested).isBetween(1, 300);
        // Past the deadline: 1 ms, so the next read fails at once instead of waiting without bound.
        assertThat(CallDeadline.within(Duration.ZERO, () -> CallDeadline.readTimeoutMillis(15_000))).isEqualTo(1);
        assertThat(CallDeadline.readTimeoutMillis(15_000)).as("cleared after the call").isEqualTo(15_000);
    }

    @Test
    void aReadFromASilentPeerEndsAtTheDeadlineAndTheNextReadOutsideItHasTheSocketsOwnTimeoutAgain() throws Exception {
        // A peer whose kernel accepts the connection while the process is stopped: it never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket socket = new TimeoutClientSocketFactory(1000, 30_000).createSocket("127.0.0.1", silent.getLocalPort());
             Socket peer = silent.accept()) {
            InputStream in = socket.getInputStream();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> CallDeadline.within(Duration.ofMillis(200), in::read))
                            .isInstanceOf(SocketTimeoutException.class));
            assertThat(socket.getSoTimeout()).isBetween(1, 200);

            OutputStream out = peer.getOutputStream();
            out.write(7);
            out.flush();
            assertThat(in.read()).isEqualTo(7);
            assertThat(socket.getSoTimeout()).as("restored by the read outside the deadline").isEqualTo(30_000);
        }
    }
}
