package chorus.cli;

import chorus.api.ChorusException;
import chorus.api.ReplicaAdmin;
import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Security;
import chorus.api.config.Timeouts;
import chorus.api.rmi.ReplicaConnection;
import chorus.api.rmi.ReplicaConnector;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connection helper of {@code kv}: which replicas exist, which one a command talks to, and
 * calls to them with every wait bounded. Failures come out as {@link CliException}s that name
 * the replica ({@link ErrorMapper}).
 *
 * <p>Calls to the replica's client API rely on the timeouts that the replica's stubs carry (a
 * write may legitimately take up to the transaction deadline). Admin calls for status, dump and
 * events are additionally bounded by {@code adminWait}, so that one paused replica cannot stall
 * a status table for the full read timeout.
 */
public final class ClusterClient implements AutoCloseable {

    /** A remote call on one replica's services. */
    @FunctionalInterface
    public interface Call<T> {
        T on(ReplicaConnection c) throws ChorusException, RemoteException;
    }

    /** A state-changing call on one replica's admin interface, made with the operator's rights. */
    @FunctionalInterface
    public interface OperatorCall {
        void on(ReplicaAdmin operator) throws ChorusException, RemoteException;
    }

    private final Optional<ClusterConfig> config;
    private final Target target;
    private final boolean connectOnly;
    private final ReplicaConnector connector;
    private final Security security;
    private final Duration adminWait;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kv-call");
        t.setDaemon(true);
        return t;
    });
    /** Stubs by host:port: a bare --connect address and the same replica under its id share them. */
    private final Map<String, ReplicaConnection> connections = new ConcurrentHashMap<>();

    /**
     * @param security    the cluster file's security settings, with {@code --token-file} applied
     * @param connectOnly the target was named with {@code --connect}: the commands that inspect
     *                    replicas ({@link #inspected()}) ask only that one
     */
    public ClusterClient(Optional<ClusterConfig> config, Security security, Target target, boolean connectOnly,
                         Duration adminWait) {
        this.config = config;
        this.target = target;
        this.connectOnly = connectOnly;
        this.adminWait = adminWait;
        Timeouts timeouts = config.map(ClusterConfig::timeouts).orElse(Timeouts.DEFAULTS);
        boundRmiHandshake(timeouts.read());
        this.security = security;
        // The operator token is presented only by operatorCallWithin: reads need none, and a wrong
        // token must fail the call that needs it (exit 4), not every lookup as if the replica were down.
        Security withoutToken = security.withTokenFile(null);
        this.connector = new ReplicaConnector(timeouts, withoutToken);
    }

    /** The JDK's wait for the protocol acknowledgement of a new RMI connection; 60 s by default. */
    static final String HANDSHAKE_TIMEOUT = "sun.rmi.transport.tcp.handshakeTimeout";

    /**
     * Bounds the handshake of every new RMI connection by the cluster's read timeout. While RMI
     * waits for a new connection's acknowledgement it replaces the socket's read timeout with its
     * handshake timeout (60 s), so a replica that accepts connections but never answers (a paused
     * process, another service on the port) held kv for a minute whatever the cluster file said.
     * The read timeout that TimeoutClientSocketFactory sets on the socket does not help: RMI
     * overrides it for the handshake (KvAsAProcessIT took 61 s with it at 2 s). The
     * JDK reads this property once, when its TCP transport class initialises, i.e. on the first
     * connection of the JVM: set before any, by the first client (kv has one per run). A value
     * given with -D on the java command line is kept.
     */
    static void boundRmiHandshake(Duration read) {
        if (System.getProperty(HANDSHAKE_TIMEOUT) == null) {
            System.setProperty(HANDSHAKE_TIMEOUT, String.valueOf(read.toMillis()));
        }
    }

    /** The replica chosen with {@code --replica} or {@code --connect}, else the first of the cluster file. */
    /** The TLS and token settings this client uses (from the cluster file, or none). */
    public Security security() {
        return security;
    }

    public Target target() {
        return target;
    }

    public Duration adminWait() {
        return adminWait;
    }

    /**
     * Every replica of the cluster: from the cluster file, or, for a bare {@code --connect}
     * address without a cluster file, as the target replica knows them.
     */
    public List<ReplicaAddress> members() throws CliException {
        if (config.isPresent()) {
            return config.get().replicas();
        }
        return callWithin(target, adminWait, c -> c.admin().membership()).replicas();
    }

    /** True when the target was named with {@code --connect}. */
    public boolean connectOnly() {
        return connectOnly;
    }

    /**
     * The replicas that {@code status}, {@code dump} and {@code in-doubt} inspect: with
     * {@code --connect} only that replica (an operator who names an address means that replica,
     * not the cluster file's others), else every member.
     */
    public List<ReplicaAddress> inspected() throws CliException {
        return connectOnly ? List.of(identifiedTarget().address()) : members();
    }

    /**
     * The target with its replica id: a bare {@code --connect} address learns it from the replica's
     * status, so that a replica that does not answer fails here, naming the address.
     */
    public Target identifiedTarget() throws CliException {
        if (target.id().isPresent()) {
            return target;
        }
        int id = callWithin(target, adminWait, c -> c.admin().status()).id();
        return Target.of(new ReplicaAddress(id, target.address().host(), target.address().port()));
    }

    /** The replica with this id among {@link #members()}. */
    public Target member(int id) throws CliException {
        for (ReplicaAddress a : members()) {
            if (a.id() == id) {
                return Target.of(a);
            }
        }
        throw CliException.usage("unknown replica id " + id + "; the cluster has "
                + String.join(", ", members().stream().map(a -> String.valueOf(a.id())).toList()));
    }

    /** Calls {@code target}, bounded only by the replica's own RMI timeouts. */
    public <T> T call(Target t, Call<T> call) throws CliException {
        try {
            return call.on(connection(t));
        } catch (ChorusException | RemoteException | RuntimeException e) {
            throw ErrorMapper.map(t, e);
        }
    }

    /** Calls {@code target} and gives up after {@code wait}, reporting the replica as unreachable. */
    public <T> T callWithin(Target t, Duration wait, Call<T> call) throws CliException {
        Future<T> f = pool.submit(() -> call(t, call));
        try {
            return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new CliException(ExitCodes.UNREACHABLE, t.label() + ": unreachable: no answer within " + wait.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw ErrorMapper.map(t, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERNAL, "interrupted");
        }
    }

    /**
     * Calls {@code t}'s admin interface as the operator, within {@code wait}: where the cluster
     * file sets an operator token, it is presented first ({@link ReplicaAdmin#withToken}); a
     * replica that refuses it fails the call as not permitted ({@link ExitCodes#FAILED}).
     */
    public void operatorCallWithin(Target t, Duration wait, OperatorCall call) throws CliException {
        callWithin(t, wait, c -> {
            Optional<String> token = security.readToken();
            call.on(token.isPresent() ? c.admin().withToken(token.get()) : c.admin());
            return null;
        });
    }

    /** Asks every replica for its status at once; a replica that fails or is slow is a "down" probe. */
    public List<ReplicaProbe> probeAll(List<ReplicaAddress> replicas) {
        Map<ReplicaAddress, Future<ReplicaProbe>> futures = new LinkedHashMap<>();
        for (ReplicaAddress a : replicas) {
            futures.put(a, pool.submit(() -> {
                try {
                    return ReplicaProbe.up(a, call(Target.of(a), c -> c.admin().status()));
                } catch (CliException e) {
                    return ReplicaProbe.down(a, stripLabel(Target.of(a), e.getMessage()));
                }
            }));
        }
        long deadline = System.nanoTime() + adminWait.toNanos();
        List<ReplicaProbe> probes = new ArrayList<>();
        for (Map.Entry<ReplicaAddress, Future<ReplicaProbe>> e : futures.entrySet()) {
            try {
                probes.add(e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                probes.add(ReplicaProbe.down(e.getKey(), "no answer within " + adminWait.toMillis() + " ms"));
            } catch (ExecutionException ex) {
                probes.add(ReplicaProbe.down(e.getKey(), ErrorMapper.describe(ex.getCause())));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                probes.add(ReplicaProbe.down(e.getKey(), "interrupted"));
            }
        }
        return probes;
    }

    /** "replica 2 (h:p): unreachable: connection refused" becomes "connection refused" for a table cell. */
    static String stripLabel(Target t, String message) {
        String m = message.startsWith(t.label() + ": ") ? message.substring(t.label().length() + 2) : message;
        return m.startsWith("unreachable: ") ? m.substring("unreachable: ".length()) : m;
    }

    private ReplicaConnection connection(Target t) throws RemoteException {
        // Not under a lock: a lookup on a paused replica must not hold up the others' lookups.
        ReplicaConnection c = connections.get(t.address().hostPort());
        if (c == null) {
            c = connector.connect(t.address());
            connections.putIfAbsent(t.address().hostPort(), c);
        }
        return c;
    }

    /** Forgets the stubs of {@code t}, so that the next call looks the replica up again (after a restart). */
    public void forget(Target t) {
        connections.remove(t.address().hostPort());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
