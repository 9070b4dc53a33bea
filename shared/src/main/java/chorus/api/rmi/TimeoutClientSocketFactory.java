package chorus.api.rmi;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;

/**
 * Client sockets with a connect timeout and a read timeout. The JDK's RMI defaults wait forever:
 * a replica paused with SIGSTOP still accepts TCP connections in the kernel, so without a read
 * timeout a caller would hang on it. This factory travels inside every stub a replica exports, so
 * clients and peers alike get the cluster's timeouts. {@code equals} matters: RMI shares
 * connections between stubs whose factories are equal.
 */
public final class TimeoutClientSocketFactory implements RMIClientSocketFactory, Serializable {
    private static final long serialVersionUID = 1L;

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public TimeoutClientSocketFactory(int connectTimeoutMillis, int readTimeoutMillis) {
        if (connectTimeoutMillis <= 0 || readTimeoutMillis <= 0) {
            throw new IllegalArgumentException("socket timeouts must be positive");
        }
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeoutClientSocketFactory f
                && f.connectTimeoutMillis == connectTimeoutMillis && f.readTimeoutMillis == readTimeoutMillis;
    }

    @Override
    public int hashCode() {
        return 31 * connectTimeoutMillis + readTimeoutMillis;
    }
}
