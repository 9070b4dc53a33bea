package chorus.api.rmi;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A client's TCP socket that recognizes a replica's refusal line ({@link ConnectionRefusal}) where
 * the first byte of an answer belongs (the connection's first, or the first after the client
 * wrote) and throws {@link RefusedConnectionException} with the replica's reason, instead of RMI's
 * "non-JRMP server" or "Transport return code invalid" or TLS's "unrecognized message". It lies
 * under TLS when the cluster uses it, so it sees a refused connection in both modes. An answer
 * never starts with the line's first byte: RMI's start with 0x4E..0x53, TLS records with 0x14..0x18.
 */
final class RefusalAwareSocket extends java.net.Socket {

    private final String hostPort;
    private InputStream in;
    private OutputStream out;
    /** The next byte read starts an answer: the connection's first, or the first since the client wrote. */
    private volatile boolean answerNext = true;
    /** The replica's refusal, once read: every later failure on this connection reports it. */
    private volatile RefusedConnectionException refusal;

    RefusalAwareSocket(String host, int port) {
        this.hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new Watch(super.getInputStream());
        }
        return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new WriteWatch(super.getOutputStream());
        }
        return out;
    }

    private final class Watch extends FilterInputStream {
        Watch(InputStream raw) {
            super(raw);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (answerNext && n > 0) {
                answerNext = false;
                if (ConnectionRefusal.startsOne(b[off] & 0xff)) {
                    throw refusal(b, off, n);
                }
            }
            return n;
        }

        /** Reads the rest of the refusal line (bounded, under the socket's read timeout). */
        private RefusedConnectionException refusal(byte[] b, int off, int n) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.write(b, off, n);
            while (line.size() < ConnectionRefusal.MAX_LINE && line.toString(StandardCharsets.US_ASCII).indexOf('\n') < 0) {
                int c;
                try {
                    c = in.read();
                } catch (IOException e) {
                    break; // the replica closed at once: what came is the line
                }
                if (c < 0) {
                    break;
                }
                line.write(c);
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            int nl = text.indexOf('\n');
            return ConnectionRefusal.parse(nl >= 0 ? text.substring(0, nl) : text, hostPort);
        }
    }

    /**
     * A write that fails may have met a replica that refused the connection, or the call being
     * written, and closed the connection: its refusal line is then already here, and says why.
     */
    private final class WriteWatch extends FilterOutputStream {
        WriteWatch(OutputStream raw) {
            super(raw);
        }

        @Override
        public void write(int b) throws IOException {
            answerNext = true;
            try {
                out.write(b);
            } catch (IOException e) {
                throw refusedOr(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            answerNext = true;
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw refusedOr(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw refusedOr(e);
            }
        }

        private IOException refusedOr(IOException e) {
            if (refusal != null) {
                // A later write on the same broken connection (ObjectOutputStream writes the failure
                // into the stream first) must not bury the reason under a bare "Broken pipe".
                return refusal;
            }
            try {
                // The connection is broken either way: a short wait for the line costs nothing more.
                setSoTimeout(100);
                InputStream raw = RefusalAwareSocket.super.getInputStream();
                byte[] b = new byte[ConnectionRefusal.MAX_LINE];
                int n = raw.read(b, 0, b.length);
                if (n > 0 && ConnectionRefusal.startsOne(b[0] & 0xff)) {
                    String text = new String(b, 0, n, StandardCharsets.US_ASCII);
                    int nl = text.indexOf('\n');
                    RefusedConnectionException r = ConnectionRefusal.parse(nl >= 0 ? text.substring(0, nl) : text, hostPort);
                    r.addSuppressed(e);
                    refusal = r;
                    return r;
                }
            } catch (IOException ignored) {
                // nothing readable: the write's own failure is the news
            }
            return e;
        }
    }
}
