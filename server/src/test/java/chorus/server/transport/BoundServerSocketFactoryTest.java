package chorus.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A replica's listener: its address, its connection slots, and the bytes it lets a call take. */
class BoundServerSocketFactoryTest {

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final RefusalReport report = new RefusalReport((listener, what) -> reports.add(listener + ": " + what), System::nanoTime);

    private BoundServerSocketFactory factory(ListenerGuard guard) {
        return new BoundServerSocketFactory("client", "127.0.0.1", null, 3, guard);
    }

    private ListenerGuard guard(int maxConnections, long maxCallBytes, long budget) {
        return new ListenerGuard("client", 3, maxConnections, maxCallBytes, budget, report);
    }

    @Test
    void listensOnTheConfiguredAddressAndAcceptedConnectionsHaveKeepAliveOn() throws Exception {
        try (ServerSocket server = factory(guard(10, 1000, 1000)).createServerSocket(0);
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            assertThat(server.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(client.getKeepAlive()).as("the caller's side is untouched").isFalse();
            assertThat(accepted.getKeepAlive()).isTrue();
            assertThat(accepted.getSoTimeout()).isZero();
        }
    }

    @Test
    void aConnectionPastTheLimitGetsTheRefusalLineAndTheListenerGoesOnAccepting() throws Exception {
        ListenerGuard guard = guard(1, 1000, 1000);
        try (ServerSocket server = factory(guard).createServerSocket(0);
             Socket first = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket second = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            Socket accepted = server.accept();
            assertThat(guard.openConnections()).isEqualTo(1);
            // The next accept refuses the second at once and waits for another connection.
            CompletableFuture<Socket> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            second.setSoTimeout(5000);
            assertThat(new String(second.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("CHORUS-REFUSED 3 the connection: too many client connections (limit 1)\n");
            assertThat(reports).containsExactly("client: refused a connection: too many client connections (limit 1)");
            accepted.close();
            assertThat(guard.openConnections()).isZero();
            try (Socket third = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 Socket thirdAccepted = next.get(5, TimeUnit.SECONDS)) {
                assertThat(guard.openConnections()).isEqualTo(1);
            }
            assertThat(guard.openConnections()).isZero();
        }
    }

    @Test
    void aCallLargerThanTheLimitIsStoppedWhileItIsReadAndFreesItsSlot() throws Exception {
        ListenerGuard guard = guard(10, 100, 1000);
        try (ServerSocket server = factory(guard).createServerSocket(0);
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write(new byte[150]);
            InputStream in = accepted.getInputStream();
            assertThatThrownBy(() -> readAll(in, 150))
                    .isInstanceOf(IOException.class)
                    .hasMessage("replica refused a client call of more than 100 bytes; the limit for one call is 100 bytes");
            assertThat(accepted.isClosed()).isTrue();
            assertThat(guard.openConnections()).isZero();
            assertThat(guard.bytesBeingRead()).isZero();
        }
    }

    @Test
    void callsReadAtOnceShareABudgetAndAnAnswerFreesWhatItsCallHeld() throws Exception {
        ListenerGuard guard = guard(10, 100, 150);
        try (ServerSocket server = factory(guard).createServerSocket(0);
             Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket acceptedA = server.accept();
             Socket b = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket acceptedB = server.accept()) {
            a.getOutputStream().write(new byte[90]);
            readAll(acceptedA.getInputStream(), 90);
            b.getOutputStream().write(new byte[90]);
            assertThatThrownBy(() -> readAll(acceptedB.getInputStream(), 90))
                    .hasMessage("replica refused a client call: calls being read at once would hold more than 150 bytes "
                            + "(limits.request-budget.bytes)");
            assertThat(guard.bytesBeingRead()).isEqualTo(90);
            // A's call is answered: its bytes are free, and its next call starts from nothing.
            acceptedA.getOutputStream().write(1);
            assertThat(guard.bytesBeingRead()).isZero();
            a.getOutputStream().write(new byte[90]);
            readAll(acceptedA.getInputStream(), 90);
            assertThat(guard.bytesBeingRead()).isEqualTo(90);
            acceptedA.close();
            assertThat(guard.bytesBeingRead()).isZero();
        }
    }

    @Test
    void theReaperClosesConnectionsWaitingForACallButNotOnesBusyWithOne() throws Exception {
        ListenerGuard guard = guard(10, 1000, 1000);
        try (ServerSocket server = factory(guard).createServerSocket(0);
             Socket idle = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket acceptedIdle = server.accept();
             Socket busy = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket acceptedBusy = server.accept();
             IdleReaper reaper = new IdleReaper(List.of(guard), Duration.ofMillis(1000), report)) {
            Thread waiting = new Thread(() -> {
                try {
                    acceptedIdle.getInputStream().read();
                } catch (IOException expected) {
                    // closed by the reaper
                }
            });
            waiting.start();
            // acceptedBusy is never read from: as a connection whose call is being executed.
            idle.setSoTimeout(10_000);
            assertThat(idle.getInputStream().read()).as("closed by the replica").isEqualTo(-1);
            waiting.join(5000);
            assertThat(acceptedIdle.isClosed()).isTrue();
            assertThat(acceptedBusy.isClosed()).isFalse();
            assertThat(guard.openConnections()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> reports.stream().anyMatch(
                    r -> r.equals("client: closed 1 client connection idle for more than 1000 ms (limits.idle-timeout.ms)")));
        }
    }

    private static void readAll(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) {
                throw new IOException("end of stream after " + got);
            }
            got += r;
        }
    }
}
