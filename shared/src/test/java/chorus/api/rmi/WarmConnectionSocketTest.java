package chorus.api.rmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RMI's ping of a pooled connection is answered locally while the connection is warm, sent while
 * it is not, and a Ping byte inside a message is never mistaken for one.
 */
class WarmConnectionSocketTest {

    /** A clock the tests move by hand. */
    static final AtomicLong NOW = new AtomicLong(1_000_000_000L);
    static final List<WarmConnectionSocket> SOCKETS = new CopyOnWriteArrayList<>();

    public interface Echo extends Remote {
        String echo(String s) throws RemoteException;
    }

    static final class EchoImpl implements Echo {
        @Override
        public String echo(String s) {
            return s;
        }
    }

    /** Plain loopback sockets, wrapped; equal to each other so that RMI pools their connections. */
    static final class Sockets implements RMIClientSocketFactory, RMIServerSocketFactory, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            WarmConnectionSocket s = new WarmConnectionSocket(new Socket(host, port), NOW::get);
            SOCKETS.add(s);
            return s;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sockets;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    private EchoImpl impl;

    @AfterEach
    void unexport() throws Exception {
        if (impl != null) {
            UnicastRemoteObject.unexportObject(impl, true);
        }
    }

    private Echo export() throws Exception {
        impl = new EchoImpl();
        Sockets f = new Sockets();
        return (Echo) UnicastRemoteObject.exportObject(impl, 0, f, f);
    }

    /**
     * Pings answered locally on every connection of this JVM so far: RMI pools connections per
     * endpoint and factory, so a test may reuse one that an earlier test opened. Tests compare counts.
     */
    private static long skipped() {
        return SOCKETS.stream().mapToLong(WarmConnectionSocket::skippedPings).sum();
    }

    /**
     * Lets the connection idle long enough (by RMI's wall clock) that RMI pings it before the next
     * call: it skips the ping only within its last measured round trip, at most a few ms here.
     * Real time must pass for that; our own window is on the test clock, which does not move.
     */
    private static void idleForRmi() {
        idleForRmi(20);
    }

    private static void idleForRmi(long millis) {
        java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void callsOnAWarmConnectionHaveRmisPingAnsweredLocally() throws Exception {
        Echo echo = export();
        assertThat(echo.echo("first")).isEqualTo("first");
        long before = skipped();
        int connections = SOCKETS.size();
        for (int i = 0; i < 10; i++) {
            idleForRmi();
            assertThat(echo.echo("call " + i)).isEqualTo("call " + i);
        }

        // The same connection; RMI pinged it before each of the 10 calls, and none of those pings left.
        assertThat(SOCKETS).hasSize(connections);
        assertThat(skipped() - before).isEqualTo(10);
    }

    @Test
    void aConnectionIdleLongerThanTheWindowIsPingedForReal() throws Exception {
        Echo echo = export();
        assertThat(echo.echo("a")).isEqualTo("a");
        idleForRmi();
        NOW.addAndGet(WarmConnectionSocket.WARM_NANOS);

        long before = skipped();
        // The ping goes out, the server's PingAck comes back, and the call goes through.
        assertThat(echo.echo("b")).isEqualTo("b");
        assertThat(skipped()).isEqualTo(before);
        // Longer: that real ping, the first of this JVM, may have measured a slow round trip.
        idleForRmi(200);
        assertThat(echo.echo("c")).isEqualTo("c");
        assertThat(skipped()).isEqualTo(before + 1);
    }

    @Test
    void aLonePingIsSentWhenTheLastAnswerIsOlderThanTheWindow() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        WarmConnectionSocket s = new WarmConnectionSocket(new FakeSocket(new byte[] {7}, wire), NOW::get);
        assertThat(s.getInputStream().read()).isEqualTo(7);
        NOW.addAndGet(WarmConnectionSocket.WARM_NANOS);

        s.getOutputStream().write(new byte[] {(byte) WarmConnectionSocket.PING}, 0, 1);
        s.getOutputStream().flush();

        assertThat(wire.toByteArray()).containsExactly(WarmConnectionSocket.PING);
        assertThat(s.skippedPings()).isZero();
    }

    @Test
    void aLastChunkThatHappensToBeAPingByteIsSent() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        WarmConnectionSocket s = new WarmConnectionSocket(new FakeSocket(new byte[] {7}, wire), NOW::get);
        assertThat(s.getInputStream().read()).isEqualTo(7); // an answer arrived: the connection is warm

        OutputStream out = s.getOutputStream();
        out.write(new byte[] {0x50, 1, 2}, 0, 3);
        out.write(new byte[] {(byte) WarmConnectionSocket.PING}, 0, 1);
        out.flush();

        assertThat(wire.toByteArray()).containsExactly(0x50, 1, 2, WarmConnectionSocket.PING);
        assertThat(s.skippedPings()).isZero();
    }

    @Test
    void aPingFollowedByMoreBytesBeforeTheFlushIsSentWithThem() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        WarmConnectionSocket s = new WarmConnectionSocket(new FakeSocket(new byte[] {7}, wire), NOW::get);
        assertThat(s.getInputStream().read()).isEqualTo(7);

        OutputStream out = s.getOutputStream();
        out.write(WarmConnectionSocket.PING);
        out.write(9);
        out.flush();

        assertThat(wire.toByteArray()).containsExactly(WarmConnectionSocket.PING, 9);
        assertThat(s.skippedPings()).isZero();
    }

    /** A connected socket over byte arrays, for the stream logic alone. */
    private static final class FakeSocket extends Socket {
        private final InputStream in;
        private final OutputStream out;

        FakeSocket(byte[] incoming, OutputStream out) {
            this.in = new ByteArrayInputStream(incoming);
            this.out = out;
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }
    }

    @Test
    void aRegistryLookupThroughTheFactoryWorks() throws Exception {
        Sockets f = new Sockets();
        Registry registry = LocateRegistry.createRegistry(0, f, f);
        try {
            impl = new EchoImpl();
            registry.rebind("echo", UnicastRemoteObject.exportObject(impl, 0, f, f));
            // The registry's port is in its stub; look it up twice through the warm sockets.
            Echo echo = (Echo) registry.lookup("echo");
            assertThat(echo.echo("x")).isEqualTo("x");
            assertThat(((Echo) registry.lookup("echo")).echo("y")).isEqualTo("y");
        } finally {
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }
}
