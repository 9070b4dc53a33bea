package chorus.api.rmi;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import javax.net.ssl.SSLSocket;

/**
 * Client sockets with a connect timeout and a read timeout. The JDK's RMI defaults wait forever:
 * a replica paused with SIGSTOP still accepts TCP connections in the kernel, so without a read
 * timeout a caller would hang on it. This factory travels inside every stub a replica exports, so
 * clients and peers alike get the cluster's timeouts. {@code equals} matters: RMI shares
 * connections between stubs whose factories are equal. The sockets spare RMI's ping of a pooled
 * connection that answered moments ago ({@link WarmConnectionSocket}).
 */
public final class TimeoutClientSocketFactory implements RMIClientSocketFactory, Serializable {
    private static final long serialVersionUID = 1L;

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final boolean tls;

    public TimeoutClientSocketFactory(int connectTimeoutMillis, int readTimeoutMillis) {
        this(connectTimeoutMillis, readTimeoutMillis, false);
    }

    /** With {@code tls}, sockets are TLS with this process's identity (see {@link TlsSockets}). */
    public TimeoutClientSocketFactory(int connectTimeoutMillis, int readTimeoutMillis, boolean tls) {
        if (connectTimeoutMillis <= 0 || readTimeoutMillis <= 0) {
            throw new IllegalArgumentException("socket timeouts must be positive");
        }
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.tls = tls;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        // The TCP socket recognizes a replica's refusal ("too many connections") in both modes; TLS lies on top.
        Socket tcp = new RefusalAwareSocket(host, port);
        Socket socket = tcp;
        try {
            tcp.setTcpNoDelay(true);
            tcp.setKeepAlive(true);
            tcp.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            tcp.setSoTimeout(readTimeoutMillis);
            if (tls) {
                SSLSocket ssl = (SSLSocket) TlsSockets.context().getSocketFactory().createSocket(tcp, host, port, true);
                socket = ssl;
                // Handshake now, under the read timeout, so that a refused certificate fails here.
                ssl.startHandshake();
            }
            return new WarmConnectionSocket(socket);
        } catch (IOException e) {
            socket.close();
            tcp.close();
            RefusedConnectionException refused = ConnectionRefusal.find(e);
            throw refused != null ? refused : e;
        }
    }

    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    public boolean tls() {
        return tls;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeoutClientSocketFactory f
                && f.connectTimeoutMillis == connectTimeoutMillis && f.readTimeoutMillis == readTimeoutMillis && f.tls == tls;
    }

    @Override
    public int hashCode() {
        return (31 * connectTimeoutMillis + readTimeoutMillis) * 2 + (tls ? 1 : 0);
    }
}
