package chorus.server.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMIServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * Listens on the configured address only (loopback by default), never on every interface.
 * {@code equals} lets the registry and every exported object of one listener share one port; the
 * listener's name keeps two listeners apart (RMI reuses the listener of an equal factory for an
 * object exported on port 0). Accepted plain
 * connections have TCP keep-alive on: a replica waits for a caller's next call without a read
 * timeout (see {@code ReplicaMain}), so keep-alive is what ends the connection of a caller whose
 * machine is gone.
 */
final class BoundServerSocketFactory implements RMIServerSocketFactory {

    private final String listener;
    private final String host;
    private final SSLContext tls;

    /**
     * @param listener which of the replica's listeners this is ("client", "peer"): factories of
     *                 different listeners are never equal
     * @param tls the replica's TLS identity, or null for plain TCP
     */
    BoundServerSocketFactory(String listener, String host, SSLContext tls) {
        this.listener = listener;
        this.host = host;
        this.tls = tls;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket s;
        if (tls != null) {
            SSLServerSocket ssl = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
            // Mutual TLS: a caller without a certificate from the cluster's trust store is refused.
            ssl.setNeedClientAuth(true);
            s = ssl;
        } else {
            s = new KeepAliveServerSocket();
        }
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundServerSocketFactory f && f.listener.equals(listener) && f.host.equals(host) && f.tls == tls;
    }

    @Override
    public int hashCode() {
        return 31 * listener.hashCode() + host.hashCode();
    }

    /** A server socket whose accepted connections have TCP keep-alive on. */
    private static final class KeepAliveServerSocket extends ServerSocket {
        KeepAliveServerSocket() throws IOException {
        }

        @Override
        public Socket accept() throws IOException {
            Socket s = super.accept();
            try {
                s.setKeepAlive(true);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            return s;
        }
    }
}
