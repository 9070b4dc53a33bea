package chorus.server.transport;

import chorus.api.rmi.DelegatingSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection a replica accepted, as RMI sees it: it holds one of its listener's connection slots
 * until closed, counts the bytes of the call being read and notes when it last moved a byte.
 *
 * <p>RMI serves one call at a time on a connection and answers a call before it reads the next, so
 * the bytes read since this socket last wrote are the bytes of one call: {@link ListenerGuard}
 * bounds them, and the listener's calls together, as they arrive. Over TLS this wraps the TLS
 * socket, so it counts the caller's own bytes, which no TLS message of the caller can reset.
 *
 * <p>A connection is idle while RMI waits in a read on it; {@link IdleReaper} closes those that
 * waited too long. A call being executed does no read and is never cut off.
 */
final class GuardedSocket extends DelegatingSocket {

    private final ListenerGuard guard;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guards {@link #callBytes} between RMI's connection thread and a close from elsewhere (the reaper). */
    private final Object lock = new Object();

    /** Bytes of the call being read; only RMI's connection thread changes it, close releases it. */
    private long callBytes;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean waiting;

    /** {@code guard.tryOpen()} must have granted the slot this socket takes. */
    GuardedSocket(Socket socket, ListenerGuard guard) throws IOException {
        super(socket);
        this.guard = guard;
        this.in = new In(socket.getInputStream());
        this.out = new Out(socket.getOutputStream());
        guard.opened(this);
    }

    /** Nanoseconds RMI has been waiting in a read on this connection with nothing arriving, or -1 when it is not. */
    long waitingNanos(long now) {
        return waiting ? now - lastActivityNanos : -1;
    }

    private final class In extends InputStream {
        private final InputStream raw;

        In(InputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n;
            waiting = true;
            try {
                n = raw.read(b, off, len);
            } finally {
                waiting = false;
                lastActivityNanos = System.nanoTime();
            }
            if (n > 0) {
                synchronized (lock) {
                    if (closed.get()) {
                        throw new SocketException("Socket closed");
                    }
                    callBytes += n;
                    try {
                        guard.charge(callBytes, n);
                    } catch (ListenerGuard.CallRefusedException e) {
                        callBytes -= n;
                        tellCaller(e.what());
                        close();
                        throw e;
                    }
                }
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return raw.available();
        }

        @Override
        public void close() throws IOException {
            GuardedSocket.this.close();
        }
    }

    private final class Out extends OutputStream {
        private final OutputStream raw;

        Out(OutputStream raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            answered();
            raw.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            answered();
            raw.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            raw.flush();
        }

        @Override
        public void close() throws IOException {
            GuardedSocket.this.close();
        }

        /** The replica writes only to answer: the call it read is complete and its bytes no longer held. */
        private void answered() {
            lastActivityNanos = System.nanoTime();
            synchronized (lock) {
                if (callBytes > 0) {
                    guard.release(callBytes);
                    callBytes = 0;
                }
            }
        }
    }

    /**
     * A plain caller is still writing its call: it finds this line when its write fails on the
     * closed connection (nothing else is sent mid-call). Over TLS the caller reads nothing below
     * TLS, so it only sees the connection end. Nothing was written since the last answer, so the
     * line fits the empty send buffer and the write does not block.
     */
    private void tellCaller(String what) {
        if (socket instanceof javax.net.ssl.SSLSocket) {
            return;
        }
        try {
            OutputStream raw = socket.getOutputStream();
            raw.write(chorus.api.rmi.ConnectionRefusal.line(guard.replica(), what));
            raw.flush();
        } catch (IOException e) {
            // the caller is gone: nobody to tell
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
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            long held;
            synchronized (lock) {
                held = callBytes;
                callBytes = 0;
            }
            guard.closed(this, held);
        }
        socket.close();
    }
}
