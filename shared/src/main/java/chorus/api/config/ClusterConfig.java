package chorus.api.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster file: which replicas exist and where, and every timeout. All replicas and clients of
 * one cluster read the same file. Format (Java properties):
 *
 * <pre>
 * replica.1 = 127.0.0.1:7101
 * replica.2 = 127.0.0.1:7102
 * replica.2.peer-port = 7202
 * timeout.vote.ms = 2000
 * coordination = leader
 * decision.ride-wait.ms = 2
 * </pre>
 *
 * @param coordination     which replica coordinates a write; {@link Coordination#LEADER} when the file
 *                         does not say
 * @param membership       read leases and automatic exclusion ({@link MembershipSettings})
 * @param decisionRideWait how long a coordinator's COMMIT for a replica (other than itself and the lock
 *                         primary) may wait for a PREPARE to the same replica to carry it, instead of
 *                         leaving in a message of its own (see docs/protocol.md); null: the default of
 *                         the coordination mode, which {@link #decisionRideWait()} returns
 */
public record ClusterConfig(List<ReplicaAddress> replicas, Timeouts timeouts, Security security, Coordination coordination,
                            ConnectionLimits limits, Duration decisionRideWait, MembershipSettings membership) implements Serializable {

    public static final int MAX_REPLICAS = 9;

    private static final String RIDE_WAIT_KEY = "decision.ride-wait.ms";
    /**
     * The default of {@code decision.ride-wait.ms} under leader coordination: the leader's next PREPARE
     * to a replica nearly always leaves within it, so its COMMITs ride (write-only, 1 / 8 / 32 client
     * threads, 287 / 1,138 / 2,724 writes/s with it against 246 / 1,002 / 2,369 without, same session).
     * Under receiver coordination the default is zero: there a key passes between coordinators, and
     * another coordinator's PREPARE would wait at the replica for the decision that waits for a ride
     * (400 / 1,316 writes/s with 2 ms at 8 / 32 threads against 449 / 1,510 without).
     */
    public static final Duration LEADER_RIDE_WAIT = Duration.ofMillis(2);
    /** A few milliseconds at most: a replica holds the keys prepared while the decision waits. */
    public static final Duration MAX_RIDE_WAIT = Duration.ofMillis(20);

    /** Every setting the file may hold besides {@code replica.N}, in the order of {@link Timeouts}'s fields. */
    private static final List<String> TIMEOUT_KEYS = List.of(
            "timeout.connect.ms", "timeout.read.ms", "timeout.vote.ms", "timeout.ack.ms", "timeout.prepared.ms",
            "timeout.read-wait.ms", "timeout.lock-wait.ms", "timeout.retry-backoff.ms", "timeout.resolve-interval.ms",
            "conflict.retries");

    private static final String COORDINATION_KEY = "coordination";

    /** Settings of {@link MembershipSettings}, in the order of its fields. */
    private static final List<String> MEMBERSHIP_KEYS = List.of(
            MembershipSettings.LEASE_KEY, MembershipSettings.MARGIN_KEY, MembershipSettings.AUTO_EXCLUDE_KEY);

    /** Settings of {@link ConnectionLimits}, in the order of its fields. */
    private static final List<String> LIMIT_KEYS = List.of(
            "limits.max-connections", "limits.max-peer-connections", "limits.idle-timeout.ms", "limits.request-budget.bytes");

    /** {@code replica.<id>.peer-port}: where the replica's peer service listens (0 or absent: any free port). */
    private static final String PEER_PORT_SUFFIX = ".peer-port";
    /** {@code replica.<id>.http-port}: where the replica serves HTTP/JSON (absent or 0: no HTTP). */
    private static final String HTTP_PORT_SUFFIX = ".http-port";

    /** Settings of {@link Security}; paths are relative to the cluster file's directory. */
    private static final List<String> SECURITY_KEYS = List.of(
            "tls.enabled", "tls.keystore", "tls.replica-keystore", "tls.truststore", "tls.password-file", "admin.token-file",
            "peer.secret-file");

    public ClusterConfig {
        if (replicas == null || replicas.isEmpty()) {
            throw new ConfigException("the cluster has no replicas; add lines like replica.1 = 127.0.0.1:7101");
        }
        if (replicas.size() > MAX_REPLICAS) {
            throw new ConfigException("the cluster has " + replicas.size() + " replicas; at most " + MAX_REPLICAS + " are supported");
        }
        List<ReplicaAddress> sorted = new ArrayList<>(replicas);
        sorted.sort(Comparator.comparingInt(ReplicaAddress::id));
        Set<Integer> ids = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (ReplicaAddress r : sorted) {
            if (!ids.add(r.id())) {
                throw new ConfigException("replica id " + r.id() + " appears twice");
            }
            if (!endpoints.add(r.host() + ":" + r.port())) {
                throw new ConfigException("two replicas share the address " + r.hostPort());
            }
        }
        // The client addresses first, so that a clash with one names the other port, not the address.
        for (ReplicaAddress r : sorted) {
            if (r.peerPort() != 0 && !endpoints.add(r.host() + ":" + r.peerPort())) {
                throw new ConfigException("replica " + r.id() + "'s peer port " + r.peerPort() + " is already used on " + r.host());
            }
            if (r.httpPort() != 0 && !endpoints.add(r.host() + ":" + r.httpPort())) {
                throw new ConfigException("replica " + r.id() + "'s HTTP port " + r.httpPort() + " is already used on " + r.host());
            }
        }
        replicas = List.copyOf(sorted);
        if (timeouts == null) {
            timeouts = Timeouts.DEFAULTS;
        }
        if (security == null) {
            security = Security.NONE;
        }
        if (coordination == null) {
            coordination = Coordination.LEADER;
        }
        if (limits == null) {
            limits = ConnectionLimits.DEFAULTS;
        }
        if (membership == null) {
            membership = MembershipSettings.DEFAULTS;
        }
        if (decisionRideWait != null && (decisionRideWait.isNegative() || decisionRideWait.compareTo(MAX_RIDE_WAIT) > 0)) {
            throw new ConfigException(RIDE_WAIT_KEY + " = " + decisionRideWait.toMillis() + " is outside 0.." + MAX_RIDE_WAIT.toMillis()
                    + ": a replica holds a transaction's keys prepared while its decision waits");
        }
    }

    public ClusterConfig(List<ReplicaAddress> replicas, Timeouts timeouts, Security security, Coordination coordination,
                         ConnectionLimits limits, Duration decisionRideWait) {
        this(replicas, timeouts, security, coordination, limits, decisionRideWait, null);
    }

    public ClusterConfig(List<ReplicaAddress> replicas, Timeouts timeouts, Security security, Coordination coordination,
                         ConnectionLimits limits) {
        this(replicas, timeouts, security, coordination, limits, null);
    }

    public ClusterConfig(List<ReplicaAddress> replicas, Timeouts timeouts, Security security, Coordination coordination) {
        this(replicas, timeouts, security, coordination, ConnectionLimits.DEFAULTS);
    }

    /**
     * Receiver coordination, unlike a cluster file without the setting (leader): the tests and
     * tools built on this form exercise the protocol as specified, and say so when they want a leader.
     */
    public ClusterConfig(List<ReplicaAddress> replicas, Timeouts timeouts, Security security) {
        this(replicas, timeouts, security, Coordination.RECEIVER);
    }

    public ClusterConfig(List<ReplicaAddress> replicas, Timeouts timeouts) {
        this(replicas, timeouts, Security.NONE);
    }

    /** {@code n} replicas on 127.0.0.1 from {@code basePort} upwards, default timeouts. */
    public static ClusterConfig localhost(int n, int basePort, Timeouts timeouts) {
        List<ReplicaAddress> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(new ReplicaAddress(i, "127.0.0.1", basePort + i - 1));
        }
        return new ClusterConfig(list, timeouts);
    }

    public static ClusterConfig load(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString(), file.toAbsolutePath().getParent());
        } catch (NoSuchFileException e) {
            throw new ConfigException("cluster file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read cluster file " + file + ": " + e.getMessage());
        }
    }

    public static ClusterConfig parse(String text, String source) {
        try {
            return parse(new StringReader(text), source, Path.of("").toAbsolutePath());
        } catch (IOException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    private static ClusterConfig parse(Reader reader, String source, Path base) throws IOException {
        Properties p = new Properties();
        try {
            p.load(reader);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": malformed line: " + e.getMessage());
        }
        TreeMap<Integer, ReplicaAddress> replicas = new TreeMap<>();
        Map<Integer, Integer> peerPorts = new TreeMap<>();
        Map<Integer, Integer> httpPorts = new TreeMap<>();
        long[] settings = settingsOf(Timeouts.DEFAULTS);
        Map<String, String> security = new java.util.HashMap<>();
        Coordination coordination = Coordination.LEADER;
        Duration rideWait = null;
        long[] membership = {MembershipSettings.DEFAULTS.lease().toMillis(), MembershipSettings.DEFAULTS.leaseMargin().toMillis(),
                MembershipSettings.DEFAULTS.autoExcludeAfter().toMillis()};
        long[] limits = limitsOf(ConnectionLimits.DEFAULTS);
        for (String key : new TreeMap<>(Map.copyOf(unchecked(p))).keySet()) {
            String value = p.getProperty(key).trim();
            if (key.startsWith("replica.") && key.endsWith(PEER_PORT_SUFFIX)) {
                peerPorts.put(replicaId(key, key.substring("replica.".length(), key.length() - PEER_PORT_SUFFIX.length()), PEER_PORT_SUFFIX, source),
                        peerPort(key, value, source));
            } else if (key.startsWith("replica.") && key.endsWith(HTTP_PORT_SUFFIX)) {
                httpPorts.put(replicaId(key, key.substring("replica.".length(), key.length() - HTTP_PORT_SUFFIX.length()), HTTP_PORT_SUFFIX, source),
                        httpPort(key, value, source));
            } else if (key.startsWith("replica.")) {
                int id;
                try {
                    id = Integer.parseInt(key.substring("replica.".length()));
                } catch (NumberFormatException e) {
                    throw new ConfigException(source + ": '" + key + "' should be replica.<id> with a number 1.." + MAX_REPLICAS);
                }
                try {
                    replicas.put(id, ReplicaAddress.parse(id, value));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(source + ": " + key + ": " + e.getMessage());
                }
            } else if (TIMEOUT_KEYS.contains(key)) {
                try {
                    settings[TIMEOUT_KEYS.indexOf(key)] = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ConfigException(source + ": " + key + " = '" + value + "' is not a whole number");
                }
            } else if (LIMIT_KEYS.contains(key)) {
                try {
                    limits[LIMIT_KEYS.indexOf(key)] = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ConfigException(source + ": " + key + " = '" + value + "' is not a whole number");
                }
            } else if (SECURITY_KEYS.contains(key)) {
                security.put(key, value);
            } else if (MEMBERSHIP_KEYS.contains(key)) {
                try {
                    membership[MEMBERSHIP_KEYS.indexOf(key)] = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ConfigException(source + ": " + key + " = '" + value + "' is not a whole number");
                }
            } else if (key.equals(RIDE_WAIT_KEY)) {
                try {
                    rideWait = Duration.ofMillis(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    throw new ConfigException(source + ": " + key + " = '" + value + "' is not a whole number");
                }
            } else if (key.equals(COORDINATION_KEY)) {
                try {
                    coordination = Coordination.parse(value);
                } catch (ConfigException e) {
                    throw new ConfigException(source + ": " + e.getMessage());
                }
            } else {
                throw new ConfigException(source + ": unknown setting '" + key + "'; known: replica.<id>, replica.<id>" + PEER_PORT_SUFFIX + ", replica.<id>" + HTTP_PORT_SUFFIX + ", "
                        + String.join(", ", TIMEOUT_KEYS) + ", " + String.join(", ", SECURITY_KEYS) + ", " + String.join(", ", LIMIT_KEYS) + ", " + COORDINATION_KEY + ", " + RIDE_WAIT_KEY + ", " + String.join(", ", MEMBERSHIP_KEYS));
            }
        }
        for (Map.Entry<Integer, Integer> e : peerPorts.entrySet()) {
            ReplicaAddress r = replicas.get(e.getKey());
            if (r == null) {
                throw new ConfigException(source + ": replica." + e.getKey() + PEER_PORT_SUFFIX + " is set but replica." + e.getKey() + " is not");
            }
            try {
                replicas.put(r.id(), r.withPeerPort(e.getValue()));
            } catch (IllegalArgumentException x) {
                throw new ConfigException(source + ": replica." + r.id() + PEER_PORT_SUFFIX + ": " + x.getMessage());
            }
        }
        for (Map.Entry<Integer, Integer> e : httpPorts.entrySet()) {
            ReplicaAddress r = replicas.get(e.getKey());
            if (r == null) {
                throw new ConfigException(source + ": replica." + e.getKey() + HTTP_PORT_SUFFIX + " is set but replica." + e.getKey() + " is not");
            }
            try {
                replicas.put(r.id(), r.withHttpPort(e.getValue()));
            } catch (IllegalArgumentException x) {
                throw new ConfigException(source + ": replica." + r.id() + HTTP_PORT_SUFFIX + ": " + x.getMessage());
            }
        }
        Timeouts timeouts;
        try {
            timeouts = timeoutsOf(settings);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        ConnectionLimits connectionLimits;
        try {
            connectionLimits = connectionLimitsOf(limits);
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        Security sec;
        try {
            sec = securityOf(security, base);
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        try {
            MembershipSettings views = new MembershipSettings(Duration.ofMillis(membership[0]), Duration.ofMillis(membership[1]),
                    Duration.ofMillis(membership[2]));
            return new ClusterConfig(new ArrayList<>(replicas.values()), timeouts, sec, coordination, connectionLimits, rideWait, views);
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    /** Writes the file form, which {@link #parse} reads back to an equal config. */
    public String toProperties() {
        StringBuilder sb = new StringBuilder("# Chorus cluster file\n");
        for (ReplicaAddress r : replicas) {
            sb.append("replica.").append(r.id()).append(" = ").append(r.hostPort()).append('\n');
            if (r.peerPort() != 0) {
                sb.append("replica.").append(r.id()).append(PEER_PORT_SUFFIX).append(" = ").append(r.peerPort()).append('\n');
            }
            if (r.httpPort() != 0) {
                sb.append("replica.").append(r.id()).append(HTTP_PORT_SUFFIX).append(" = ").append(r.httpPort()).append('\n');
            }
        }
        long[] settings = settingsOf(timeouts);
        for (int i = 0; i < TIMEOUT_KEYS.size(); i++) {
            sb.append(TIMEOUT_KEYS.get(i)).append(" = ").append(settings[i]).append('\n');
        }
        if (security.tls()) {
            sb.append("tls.enabled = true\n")
              .append("tls.keystore = ").append(escape(security.keyStore())).append('\n')
              .append("tls.truststore = ").append(escape(security.trustStore())).append('\n')
              .append("tls.password-file = ").append(escape(security.passwordFile())).append('\n');
            if (security.replicaKeyStore() != null) {
                sb.append("tls.replica-keystore = ").append(escape(security.replicaKeyStore())).append('\n');
            }
        }
        if (security.tokenFile() != null) {
            sb.append("admin.token-file = ").append(escape(security.tokenFile())).append('\n');
        }
        if (security.peerSecretFile() != null) {
            sb.append("peer.secret-file = ").append(escape(security.peerSecretFile())).append('\n');
        }
        sb.append(COORDINATION_KEY).append(" = ").append(coordination.text()).append('\n');
        if (decisionRideWait != null) {
            sb.append(RIDE_WAIT_KEY).append(" = ").append(decisionRideWait.toMillis()).append('\n');
        }
        if (!membership.equals(MembershipSettings.DEFAULTS)) {
            sb.append(MembershipSettings.LEASE_KEY).append(" = ").append(membership.lease().toMillis()).append('\n')
              .append(MembershipSettings.MARGIN_KEY).append(" = ").append(membership.leaseMargin().toMillis()).append('\n')
              .append(MembershipSettings.AUTO_EXCLUDE_KEY).append(" = ").append(membership.autoExcludeAfter().toMillis()).append('\n');
        }
        long[] l = limitsOf(limits);
        for (int i = 0; i < LIMIT_KEYS.size(); i++) {
            sb.append(LIMIT_KEYS.get(i)).append(" = ").append(l[i]).append('\n');
        }
        return sb.toString();
    }

    public Optional<ReplicaAddress> replica(int id) {
        return replicas.stream().filter(r -> r.id() == id).findFirst();
    }

    public ReplicaAddress require(int id) {
        return replica(id).orElseThrow(() -> new ConfigException("unknown replica id " + id + "; the cluster has "
                + replicas.stream().map(r -> String.valueOf(r.id())).reduce((a, b) -> a + ", " + b).orElse("none")));
    }

    /**
     * A short digest of the membership (ids and addresses). Replicas compare it before they talk,
     * so that a replica of another cluster that happens to answer on a configured address (a
     * stale cluster file, a reused port) is never taken for a peer.
     */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder();
        for (ReplicaAddress r : replicas) {
            sb.append(r.id()).append('=').append(r.host()).append(':').append(r.port()).append(';');
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    public List<Integer> ids() {
        return replicas.stream().map(ReplicaAddress::id).toList();
    }

    public int size() {
        return replicas.size();
    }

    public ClusterConfig withTimeouts(Timeouts t) {
        return new ClusterConfig(replicas, t, security, coordination, limits, decisionRideWait, membership);
    }

    public ClusterConfig withSecurity(Security s) {
        return new ClusterConfig(replicas, timeouts, s, coordination, limits, decisionRideWait, membership);
    }

    public ClusterConfig withCoordination(Coordination c) {
        return new ClusterConfig(replicas, timeouts, security, c, limits, decisionRideWait, membership);
    }

    public ClusterConfig withLimits(ConnectionLimits l) {
        return new ClusterConfig(replicas, timeouts, security, coordination, l, decisionRideWait, membership);
    }

    /** The configured ride wait, or the coordination mode's default when the file does not set one. */
    @Override
    public Duration decisionRideWait() {
        if (decisionRideWait != null) {
            return decisionRideWait;
        }
        return coordination == Coordination.LEADER ? LEADER_RIDE_WAIT : Duration.ZERO;
    }

    public ClusterConfig withDecisionRideWait(Duration wait) {
        return new ClusterConfig(replicas, timeouts, security, coordination, limits, wait, membership);
    }

    public ClusterConfig withMembership(MembershipSettings m) {
        return new ClusterConfig(replicas, timeouts, security, coordination, limits, decisionRideWait, m);
    }

    /** The replica that coordinates the writes it receives; under {@link Coordination#LEADER}, every write. */
    public int coordinatorFor(int receiver) {
        return coordination == Coordination.LEADER ? replicas.get(0).id() : receiver;
    }

    private static int replicaId(String key, String id, String suffix, String source) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new ConfigException(source + ": '" + key + "' should be replica.<id>" + suffix + " with a number 1.." + MAX_REPLICAS);
        }
    }

    private static int httpPort(String key, String value, String source) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(source + ": " + key + " = '" + value + "' is not a port number (0: no HTTP)");
        }
    }

    private static int peerPort(String key, String value, String source) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(source + ": " + key + " = '" + value + "' is not a port number (0: any free port)");
        }
    }

    /** Properties files treat backslashes as escapes (Windows paths). */
    private static String escape(String path) {
        return path.replace("\\", "\\\\");
    }

    private static Security securityOf(Map<String, String> s, Path base) {
        String enabled = s.getOrDefault("tls.enabled", "false");
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new ConfigException("tls.enabled = '" + enabled + "' must be true or false");
        }
        return new Security(Boolean.parseBoolean(enabled), path(s.get("tls.keystore"), base), path(s.get("tls.truststore"), base),
                path(s.get("tls.password-file"), base), path(s.get("admin.token-file"), base),
                path(s.get("peer.secret-file"), base), path(s.get("tls.replica-keystore"), base));
    }

    private static String path(String value, Path base) {
        return value == null || value.isBlank() ? null : base.resolve(value).normalize().toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, String> unchecked(Properties p) {
        return (Map) p;
    }

    private static long[] limitsOf(ConnectionLimits l) {
        return new long[] {l.maxConnections(), l.maxPeerConnections(), l.idleTimeout().toMillis(), l.requestBudgetBytes()};
    }

    private static ConnectionLimits connectionLimitsOf(long[] l) {
        for (int i = 0; i < 2; i++) {
            if (l[i] > Integer.MAX_VALUE) {
                throw new ConfigException(LIMIT_KEYS.get(i) + " = " + l[i] + " is too large");
            }
        }
        return new ConnectionLimits((int) l[0], (int) l[1], Duration.ofMillis(l[2]), l[3]);
    }

    private static long[] settingsOf(Timeouts t) {
        return new long[] {t.connect().toMillis(), t.read().toMillis(), t.vote().toMillis(), t.ack().toMillis(),
            t.prepared().toMillis(), t.readWait().toMillis(), t.lockWait().toMillis(), t.retryBackoff().toMillis(),
            t.resolveInterval().toMillis(), t.conflictRetries()};
    }

    private static Timeouts timeoutsOf(long[] s) {
        return new Timeouts(Duration.ofMillis(s[0]), Duration.ofMillis(s[1]), Duration.ofMillis(s[2]), Duration.ofMillis(s[3]),
                Duration.ofMillis(s[4]), Duration.ofMillis(s[5]), Duration.ofMillis(s[6]), Duration.ofMillis(s[7]),
                Duration.ofMillis(s[8]), Math.toIntExact(s[9]));
    }
}
