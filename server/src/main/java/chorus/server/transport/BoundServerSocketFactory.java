package chorus.server.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;

/**
 * Listens on the configured address only (loopback by default), never on every interface.
 * {@code equals} lets the registry and every exported object share one port.
 */
final class BoundServerSocketFactory implements RMIServerSocketFactory {

    private final String host;

    BoundServerSocketFactory(String host) {
        this.host = host;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket s = new ServerSocket();
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
        return o instanceof BoundServerSocketFactory f && f.host.equals(host);
    }

    @Override
    public int hashCode() {
        return host.hashCode();
    }
}
