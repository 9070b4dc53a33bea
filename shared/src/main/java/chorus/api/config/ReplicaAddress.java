package chorus.api.config;

import java.io.Serializable;

/**
 * Where one replica listens: its id in the cluster, its RMI host and port (registry, clients'
 * services), and the port of its peer service, which has a listener of its own so that clients
 * never compete with peers for connections. {@code peerPort} 0 means an ephemeral port on the same
 * host; peers find it through the registry either way. {@code httpPort} is where the replica serves
 * its HTTP/JSON API (docs/http.md) on the same host; 0 means it serves none.
 */
public record ReplicaAddress(int id, String host, int port, int peerPort, int httpPort) implements Serializable {

    public ReplicaAddress {
        if (id < 1 || id > ClusterConfig.MAX_REPLICAS) {
            throw new IllegalArgumentException("replica id " + id + " is out of range 1.." + ClusterConfig.MAX_REPLICAS);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("replica " + id + " has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("replica " + id + " has port " + port + ", outside 1..65535");
        }
        if (peerPort < 0 || peerPort > 65535) {
            throw new IllegalArgumentException("replica " + id + " has peer port " + peerPort + ", outside 1..65535 (or 0: any free port)");
        }
        if (peerPort == port) {
            throw new IllegalArgumentException("replica " + id + " has peer port " + peerPort + ", the same as its client port");
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("replica " + id + " has HTTP port " + httpPort + ", outside 1..65535 (or 0: no HTTP)");
        }
        if (httpPort != 0 && (httpPort == port || httpPort == peerPort)) {
            throw new IllegalArgumentException("replica " + id + " has HTTP port " + httpPort + ", the same as its "
                    + (httpPort == port ? "client" : "peer") + " port");
        }
    }

    /** A replica whose peer service listens on an ephemeral port, without HTTP. */
    public ReplicaAddress(int id, String host, int port) {
        this(id, host, port, 0, 0);
    }

    /** A replica without HTTP. */
    public ReplicaAddress(int id, String host, int port, int peerPort) {
        this(id, host, port, peerPort, 0);
    }

    /** The same replica with its peer service on {@code peerPort} (0: any free port). */
    public ReplicaAddress withPeerPort(int peerPort) {
        return new ReplicaAddress(id, host, port, peerPort, httpPort);
    }

    /** The same replica serving HTTP on {@code httpPort} (0: no HTTP). */
    public ReplicaAddress withHttpPort(int httpPort) {
        return new ReplicaAddress(id, host, port, peerPort, httpPort);
    }

    /** Whether the replica serves the HTTP/JSON API. */
    public boolean servesHttp() {
        return httpPort != 0;
    }

    /** Parses {@code host:port} (IPv6 hosts in brackets: {@code [::1]:7101}). */
    public static ReplicaAddress parse(int id, String hostPort) {
        String s = hostPort == null ? "" : hostPort.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "' has a port that is not a number");
        }
        return new ReplicaAddress(id, host, port);
    }

    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "replica " + id + " (" + hostPort() + ")";
    }
}
