package chorus.server.transport;

import chorus.api.rmi.ConnectionRefusal;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMIServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Listens on the configured address only (loopback by default), never on every interface.
 * {@code equals} lets the registry and every exported object of one listener share one port; the
 * listener's name keeps two listeners apart (RMI reuses the listener of an equal factory for an
 * object exported on port 0).
 *
 * <p>Every accepted connection takes a slot of its listener ({@link ListenerGuard}); past the limit
 * the connection gets one refusal line ({@link ConnectionRefusal}) and is closed at once, before
 * RMI or TLS spends anything on it, and the listener goes on accepting. TLS is layered over the
 * accepted TCP connection (need-client-auth, as before), so the slot is taken and the refusal
 * sent the same way in both modes, and the handshake runs on RMI's connection thread rather than
 * on the accepting one. Accepted connections have TCP keep-alive on: it ends the connection of a
 * caller whose machine is gone.
 */
final class BoundServerSocketFactory implements RMIServerSocketFactory {

    private final String listener;
    private final String host;
    private final SSLContext tls;
    private final int replica;
    private final ListenerGuard guard;

    /**
     * @param listener which of the replica's listeners this is ("client", "peer"): factories of
     *                 different listeners are never equal
     * @param tls the replica's TLS identity, or null for plain TCP
     */
    BoundServerSocketFactory(String listener, String host, SSLContext tls, int replica, ListenerGuard guard) {
        this.listener = listener;
        this.host = host;
        this.tls = tls;
        this.replica = replica;
        this.guard = guard;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket s = new GuardedServerSocket();
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
        return o instanceof BoundServerSocketFactory f && f.listener.equals(listener) && f.host.equals(host) && f.tls == tls
                && f.guard == guard;
    }

    @Override
    public int hashCode() {
        return 31 * listener.hashCode() + host.hashCode();
    }

    private final class GuardedServerSocket extends ServerSocket {
        GuardedServerSocket() throws IOException {
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                Socket s = super.accept();
                if (!guard.tryOpen()) {
                    refuse(s);
                    continue;
                }
                try {
                    s.setKeepAlive(true);
                    return new GuardedSocket(tls == null ? s : serverTls(s), guard);
                } catch (IOException | RuntimeException e) {
                    // This caller's connection broke while it was set up (reset at once, say). Going on
                    // with the next: RMI's accept loop pauses for seconds after a run of failed accepts,
                    // which a caller must not be able to cause.
                    guard.abandon();
                    closeQuietly(s);
                }
            }
        }

        /**
         * One line and close: the send buffer of a new connection is empty, so the write does not
         * block the accepting thread. Linux hands the caller the line even when the close resets
         * the connection (the caller's first bytes unread).
         */
        private void refuse(Socket s) {
            try (s) {
                OutputStream out = s.getOutputStream();
                out.write(ConnectionRefusal.line(replica, "the connection: " + guard.tooManyConnections()));
                out.flush();
            } catch (IOException e) {
                // the caller is gone already: nothing to tell it
            }
        }

        private void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        private Socket serverTls(Socket s) throws IOException {
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, s.getInetAddress().getHostAddress(), s.getPort(), true);
            ssl.setUseClientMode(false);
            // Mutual TLS: a caller without a certificate from the cluster's trust store is refused.
            ssl.setNeedClientAuth(true);
            return ssl;
        }
    }
}
