package chorus.console.service;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Timeouts;
import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.TxId;
import chorus.api.model.View;
import chorus.api.model.WriteResult;
import chorus.api.rmi.ReplicaConnector;
import chorus.console.util.FxUiExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster service over Java RMI: one {@link ReplicaLink} and one {@link ReplicaWatcher} per
 * replica, each watcher on its own scheduler thread so that a frozen replica delays nobody else.
 */
public final class RmiClusterGateway implements ClusterGateway {

    private static final Logger LOG = LoggerFactory.getLogger(RmiClusterGateway.class);

    private final ConsoleTimeouts timeouts;
    private final ReplicaConnector connector;
    private final ExecutorService calls = Executors.newCachedThreadPool(FxUiExecutor.daemonThreads("rmi-call"));
    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();
    private final ClusterListener fanOut = new FanOut();
    private final Object lock = new Object();
    private Map<Integer, ReplicaLink> links = Map.of();
    private final List<ReplicaWatcher> watchers = new ArrayList<>();
    private final List<ScheduledExecutorService> schedulers = new ArrayList<>();

    public RmiClusterGateway(ConsoleTimeouts timeouts) {
        this(timeouts, chorus.api.config.Security.NONE);
    }

    /**
     * With the cluster file's {@code security}: TLS with the console's own key store, and the
     * operator token that the failure switch and forced decisions need.
     */
    public RmiClusterGateway(ConsoleTimeouts timeouts, chorus.api.config.Security security) {
        this.timeouts = timeouts;
        // Only the registry lookup uses these; the stubs carry the cluster's socket factory and
        // every call is bounded by ReplicaLink's deadline besides.
        long read = Math.max(timeouts.call().toMillis(), Timeouts.DEFAULTS.vote().plus(Timeouts.DEFAULTS.ack()).toMillis() + 1);
        Timeouts t = new Timeouts(timeouts.connect(), Duration.ofMillis(read), Timeouts.DEFAULTS.vote(), Timeouts.DEFAULTS.ack(),
                Timeouts.DEFAULTS.prepared(), Timeouts.DEFAULTS.readWait(), Timeouts.DEFAULTS.lockWait(),
                Timeouts.DEFAULTS.retryBackoff(), Timeouts.DEFAULTS.resolveInterval(), Timeouts.DEFAULTS.conflictRetries());
        this.connector = new ReplicaConnector(t, security);
    }

    @Override
    public ClusterConfig connect(String hostPort) throws Exception {
        ReplicaAddress entry = ReplicaAddress.parse(1, hostPort);
        ReplicaLink first = new ReplicaLink(entry, connector, calls);
        ClusterConfig membership;
        try {
            membership = first.call(c -> c.admin().membership(), timeouts.connect().plus(timeouts.call()));
        } catch (ReplicaUnreachableException e) {
            String why = e.getCause() != null ? Failures.transportCause(e.getCause()) : e.getMessage();
            throw new ReplicaUnreachableException("cannot reach " + entry.hostPort() + ": " + why, e);
        } catch (CallTimeoutException e) {
            throw new ReplicaUnreachableException("cannot reach " + entry.hostPort() + ": no answer within "
                    + timeouts.connect().plus(timeouts.call()).toMillis() + " ms", e);
        }
        synchronized (lock) {
            stopWatching();
            Map<Integer, ReplicaLink> byId = new TreeMap<>();
            for (ReplicaAddress a : membership.replicas()) {
                byId.put(a.id(), new ReplicaLink(a, connector, calls));
            }
            links = Map.copyOf(byId);
            for (ReplicaLink link : byId.values()) {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(
                        FxUiExecutor.daemonThreads("watch-replica-" + link.address().id()));
                ReplicaWatcher w = new ReplicaWatcher(link, timeouts, fanOut, s, System::currentTimeMillis);
                schedulers.add(s);
                watchers.add(w);
                w.start();
            }
        }
        LOG.info("connected through {}; watching {} replicas", entry.hostPort(), membership.size());
        return membership;
    }

    private ReplicaLink link(int replica) throws ReplicaUnreachableException {
        ReplicaLink l = links.get(replica);
        if (l == null) {
            throw new ReplicaUnreachableException("replica " + replica + " is not part of the connected cluster", null);
        }
        return l;
    }

    @Override
    public ReadResult get(int replica, String key) throws Exception {
        return link(replica).call(c -> c.kv().get(key), timeouts.operation());
    }

    @Override
    public WriteResult put(int replica, String key, String value) throws Exception {
        return write(replica, () -> link(replica).call(c -> c.kv().put(key, value), timeouts.operation()));
    }

    @Override
    public WriteResult delete(int replica, String key) throws Exception {
        return write(replica, () -> link(replica).call(c -> c.kv().delete(key), timeouts.operation()));
    }

    @Override
    public WriteResult execute(int replica, List<Mutation> mutations) throws Exception {
        List<Mutation> copy = List.copyOf(mutations);
        return write(replica, () -> link(replica).call(c -> c.kv().execute(copy), timeouts.operation()));
    }

    private interface Write {
        WriteResult run() throws Exception;
    }

    private WriteResult write(int replica, Write w) throws Exception {
        try {
            return w.run();
        } finally {
            refreshSoon();
        }
    }

    @Override
    public void setSimulatedFailure(int replica, boolean failed) throws Exception {
        link(replica).call(c -> {
            c.admin().setSimulatedFailure(failed);
            return null;
        }, timeouts.call());
        refreshSoon();
    }

    @Override
    public void forceDecision(int replica, TxId txId, Decision decision, String note) throws Exception {
        link(replica).call(c -> {
            c.admin().forceDecision(txId, decision, note);
            return null;
        }, timeouts.call());
        refreshSoon();
    }

    /**
     * Bounded by the operation timeout, not the call timeout: the replica waits out a read lease
     * and a round of votes, and caps that below the cluster's read timeout, which the operation
     * timeout exceeds.
     */
    @Override
    public View exclude(int proposer, int replica) throws Exception {
        try {
            return link(proposer).call(c -> c.admin().exclude(replica), timeouts.operation());
        } finally {
            refreshSoon();
        }
    }

    @Override
    public View readmit(int replica) throws Exception {
        try {
            return link(replica).call(c -> c.admin().readmit(replica), timeouts.operation());
        } finally {
            refreshSoon();
        }
    }

    @Override
    public void refreshSoon() {
        synchronized (lock) {
            watchers.forEach(ReplicaWatcher::pollSoon);
        }
    }

    @Override
    public void addListener(ClusterListener listener) {
        listeners.add(listener);
    }

    private void stopWatching() {
        watchers.forEach(ReplicaWatcher::close);
        schedulers.forEach(ScheduledExecutorService::shutdownNow);
        watchers.clear();
        schedulers.clear();
    }

    @Override
    public void close() {
        synchronized (lock) {
            stopWatching();
        }
        calls.shutdownNow();
    }

    private final class FanOut implements ClusterListener {
        @Override
        public void replicaUpdated(ReplicaSnapshot snapshot) {
            listeners.forEach(l -> l.replicaUpdated(snapshot));
        }

        @Override
        public void eventsArrived(int replica, List<chorus.api.model.ProtocolEvent> events, long missed) {
            listeners.forEach(l -> l.eventsArrived(replica, events, missed));
        }

        @Override
        public void contentsLoaded(int replica, List<chorus.api.model.KeyEntry> entries) {
            listeners.forEach(l -> l.contentsLoaded(replica, entries));
        }

        @Override
        public void inDoubtLoaded(int replica, List<chorus.api.model.InDoubtTransaction> transactions) {
            listeners.forEach(l -> l.inDoubtLoaded(replica, transactions));
        }
    }
}
