package chorus.server;

import chorus.api.config.ReplicaAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports that are free on loopback right now, for clusters started by tests, the chaos run and the
 * benchmarks. All {@code n} are held open together before any is released, so they are distinct;
 * another process may still take one before it is bound again, which callers detect (the replica
 * or server then fails to start, or answers for another cluster).
 */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    public static List<Integer> free(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // it was only held to reserve the number
                }
            }
        }
    }

    /** Replicas 1..n on 127.0.0.1, each on a free port and serving HTTP on another. */
    public static List<ReplicaAddress> replicasWithHttp(int n) {
        List<Integer> ports = free(2 * n);
        List<ReplicaAddress> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new ReplicaAddress(i, "127.0.0.1", ports.get(i - 1), 0, ports.get(n + i - 1)));
        }
        return out;
    }

    /** Replicas 1..n on 127.0.0.1, each on a free port. */
    public static List<ReplicaAddress> replicas(int n) {
        List<Integer> ports = free(n);
        List<ReplicaAddress> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new ReplicaAddress(i, "127.0.0.1", ports.get(i - 1)));
        }
        return out;
    }
}
