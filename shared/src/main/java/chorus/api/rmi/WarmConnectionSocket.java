package chorus.api.rmi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A client socket that answers RMI's "is this pooled connection still alive?" ping itself when the
 * connection carried an answer moments ago, instead of sending it across.
 *
 * <p>Before each call on a pooled connection, the JDK's RMI client writes a one-byte Ping and
 * waits for the server's PingAck, unless the connection was used "within one round trip". It
 * measures that round trip with {@link System#currentTimeMillis()}, which on loopback is 0 ms, so
 * it pings before <em>every</em> call: an extra round trip, with a thread wake-up at both ends, on
 * every RMI call of the protocol. This socket restores the intent with a fixed window: when the
 * last bytes read on this connection arrived less than {@link #WARM_NANOS} ago, a lone Ping (one
 * byte, flushed on its own, as the first thing written after a response) is not sent and the next
 * read returns the PingAck. A connection idle for longer is pinged as before, so a peer that
 * restarted (which takes seconds) is still found out by RMI and a new connection opened. A peer
 * that dies within the window fails the call itself, which callers already treat as unreachable.
 *
 * <p>RMI uses one connection from one thread at a time (it takes it from, and returns it to, a
 * synchronized free list), so the state here needs no locking.
 */
final class WarmConnectionSocket extends DelegatingSocket {

    /** How recently the connection must have carried an answer for RMI's ping to be skipped. */
    static final long WARM_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** sun.rmi.transport.TransportConstants: Ping and PingAck. */
    static final int PING = 0x52;
    static final int PING_ACK = 0x53;

    private final LongSupplier nanoClock;
    private final InputStream in;
    private final OutputStream out;
    /** The read timeout set on this socket (by the factory, or by RMI around its handshake)... */
    private int baseTimeoutMillis;
    /** ...and the one in force now: lower on a thread within a {@link CallDeadline}. */
    private int appliedTimeoutMillis;

    /** When bytes last arrived; meaningful only while {@link #lastWasRead}. */
    private long lastReadNanos;
    /** Nothing has been written since the last bytes arrived: the next write starts an exchange. */
    private boolean lastWasRead;
    /** A lone Ping was written and not sent; a flush next makes it a skipped ping. */
    private boolean heldPing;
    /** The next read returns PingAck without touching the network. */
    private boolean ackPending;
    private long skipped;

    WarmConnectionSocket(Socket socket) throws IOException {
        this(socket, System::nanoTime);
    }

    WarmConnectionSocket(Socket socket, LongSupplier nanoClock) throws IOException {
        super(socket);
        this.nanoClock = nanoClock;
        this.baseTimeoutMillis = socket.getSoTimeout();
        this.appliedTimeoutMillis = baseTimeoutMillis;
        this.in = new In(socket.getInputStream());
        this.out = new Out(socket.getOutputStream());
    }

    /** Pings answered here so far (for tests). */
    long skippedPings() {
        return skipped;
    }

    private final class In extends InputStream {
        private final InputStream raw;

        In(InputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            if (ackPending) {
                ackPending = false;
                return PING_ACK;
            }
            applyDeadline();
            int b = raw.read();
            if (b >= 0) {
                arrived();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (ackPending) {
                ackPending = false;
                b[off] = (byte) PING_ACK;
                return 1;
            }
            applyDeadline();
            int n = raw.read(b, off, len);
            if (n > 0) {
                arrived();
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return ackPending ? 1 : raw.available();
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }

        /** Reads on a thread inside {@link CallDeadline#within} end by its deadline (a field store, no system call). */
        private void applyDeadline() throws SocketException {
            int wanted = CallDeadline.readTimeoutMillis(baseTimeoutMillis);
            if (wanted != appliedTimeoutMillis) {
                socket.setSoTimeout(wanted);
                appliedTimeoutMillis = wanted;
            }
        }

        private void arrived() {
            lastWasRead = true;
            lastReadNanos = nanoClock.getAsLong();
        }
    }

    private final class Out extends OutputStream {
        private final OutputStream raw;

        Out(OutputStream raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            if (startsWithPing(1, b & 0xff)) {
                return;
            }
            raw.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            if (startsWithPing(len, b[off] & 0xff)) {
                return;
            }
            raw.write(b, off, len);
        }

        /** True when this write is a lone Ping on a warm connection, held back; else sends any held byte first. */
        private boolean startsWithPing(int len, int first) throws IOException {
            if (len == 1 && first == PING && lastWasRead && !heldPing
                    && nanoClock.getAsLong() - lastReadNanos < WARM_NANOS) {
                heldPing = true;
                return true;
            }
            releaseHeld();
            lastWasRead = false;
            return false;
        }

        private void releaseHeld() throws IOException {
            if (heldPing) {
                heldPing = false;
                raw.write(PING);
            }
        }

        @Override
        public void flush() throws IOException {
            if (heldPing) {
                // The whole message was the Ping: answer it here.
                heldPing = false;
                lastWasRead = false;
                ackPending = true;
                skipped++;
                return;
            }
            raw.flush();
        }

        @Override
        public void close() throws IOException {
            releaseHeld();
            raw.close();
        }
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        super.setSoTimeout(timeout);
        baseTimeoutMillis = timeout;
        appliedTimeoutMillis = timeout;
    }
}
