package chorus.server.transport;

import chorus.api.ChorusException;
import chorus.api.NotPermittedException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import chorus.api.model.TxId;
import chorus.api.rmi.CallDeadline;
import chorus.api.rmi.TimeoutClientSocketFactory;
import chorus.server.protocol.CatchUpStart;
import chorus.server.protocol.ChangesPage;
import chorus.server.protocol.FinalSync;
import chorus.server.protocol.StoredEntry;
import chorus.server.protocol.PeerChannel;
import chorus.server.protocol.Decided;
import chorus.server.protocol.DecisionAck;
import chorus.server.protocol.Exchanged;
import chorus.server.protocol.PrepareRequest;
import chorus.server.protocol.ReplicaNode;
import chorus.server.protocol.TxOutcome;
import chorus.server.protocol.Vote;
import chorus.server.protocol.Wire;
import java.rmi.AccessException;
import java.rmi.NoSuchObjectException;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import chorus.api.model.View;
import chorus.server.membership.Acceptance;
import chorus.server.membership.Ballot;
import chorus.server.membership.LeaseAnswer;
import chorus.server.membership.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reaches peers through their RMI stubs, looked up once and looked up again after a failure (a
 * restarted peer has new object ids). Calls to this replica itself skip the network.
 */
public final class RmiPeerChannel implements PeerChannel {

    private final int self;
    private final ClusterConfig cluster;
    private final TimeoutClientSocketFactory sockets;
    private final PeerProof proofs;
    private final Map<Integer, PeerService> stubs = new ConcurrentHashMap<>();
    private volatile ReplicaNode local;

    /** @param peerSecrets the cluster secrets: the first is proven, any is accepted in a peer's reply */
    public RmiPeerChannel(int self, ClusterConfig cluster, List<String> peerSecrets) {
        this.self = self;
        this.cluster = cluster;
        this.proofs = new PeerProof(peerSecrets, cluster.fingerprint());
        this.sockets = new TimeoutClientSocketFactory(Math.toIntExact(cluster.timeouts().connect().toMillis()),
                Math.toIntExact(cluster.timeouts().read().toMillis()), cluster.security().tls());
    }

    /** The node that calls addressed to this replica go to. */
    public void attach(ReplicaNode node) {
        this.local = node;
    }

    @Override
    public Vote lock(int replica, PrepareRequest request) throws Exception {
        if (replica == self) {
            return local.lock(request);
        }
        return call(replica, s -> s.lock(request));
    }

    @Override
    public Vote prepare(int replica, PrepareRequest request) throws Exception {
        if (replica == self) {
            return local.prepare(request);
        }
        return call(replica, s -> s.prepare(request));
    }

    @Override
    public List<Vote> prepareAll(int replica, List<PrepareRequest> requests) throws Exception {
        if (replica == self) {
            return local.prepareAll(requests);
        }
        return call(replica, s -> s.prepareAll(new Wire.PrepareBatch(requests)).votes());
    }

    @Override
    public void decide(int replica, TxId txId, Decision decision) throws Exception {
        if (replica == self) {
            local.decide(txId, decision);
            return;
        }
        call(replica, s -> {
            s.decide(txId, decision);
            return null;
        });
    }

    @Override
    public DecisionAck decideAll(int replica, List<Decided> decisions) throws Exception {
        if (replica == self) {
            return local.decideAll(decisions);
        }
        return call(replica, s -> s.decideAll(new Wire.DecisionBatch(decisions)));
    }

    @Override
    public Exchanged exchange(int replica, List<Decided> decisions, List<PrepareRequest> prepares) throws Exception {
        if (replica == self) {
            return local.exchange(decisions, prepares);
        }
        return call(replica, s -> s.exchange(new Wire.Exchange(decisions, prepares)).exchanged());
    }

    @Override
    public DecisionAck durability(int replica) throws Exception {
        if (replica == self) {
            return local.durability();
        }
        return call(replica, PeerService::durability);
    }

    @Override
    public TxOutcome outcome(int replica, TxId txId, long preparedAtMillis) throws Exception {
        if (replica == self) {
            return local.outcome(txId, preparedAtMillis);
        }
        return call(replica, s -> s.outcome(txId, preparedAtMillis));
    }

    @Override
    public Promise promiseView(int replica, long epoch, Ballot ballot) throws Exception {
        if (replica == self) {
            return local.promiseView(epoch, ballot);
        }
        return call(replica, s -> s.promiseView(epoch, ballot));
    }

    @Override
    public Acceptance acceptView(int replica, Ballot ballot, View view) throws Exception {
        if (replica == self) {
            return local.acceptView(ballot, view);
        }
        return call(replica, s -> s.acceptView(ballot, view));
    }

    @Override
    public void learnView(int replica, View view) throws Exception {
        if (replica == self) {
            local.learnView(view);
            return;
        }
        call(replica, s -> {
            s.learnView(view);
            return null;
        });
    }

    @Override
    public LeaseAnswer grantLease(int replica, int holder, View holderView) throws Exception {
        if (replica == self) {
            return local.grantLease(holder, holderView);
        }
        return call(replica, s -> s.grantLease(holder, holderView));
    }

    @Override
    public CatchUpStart catchUpStart(int replica, int asker) throws Exception {
        if (replica == self) {
            return local.catchUpStart(asker);
        }
        return call(replica, s -> s.catchUpStart(asker));
    }

    @Override
    public List<StoredEntry> snapshotPage(int replica, String afterKey, int limit) throws Exception {
        if (replica == self) {
            return local.snapshotPage(afterKey, limit);
        }
        return call(replica, s -> s.snapshotPage(afterKey, limit));
    }

    @Override
    public ChangesPage changesAfter(int replica, long afterSeq, int limit) throws Exception {
        if (replica == self) {
            return local.changesAfter(afterSeq, limit);
        }
        return call(replica, s -> s.changesAfter(afterSeq, limit));
    }

    @Override
    public FinalSync finalSync(int replica, View view) throws Exception {
        if (replica == self) {
            return local.finalSync(view);
        }
        return call(replica, s -> s.finalSync(view));
    }

    @Override
    public WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception {
        if (replica == self) {
            return local.coordinateForwarded(mutations);
        }
        // RMI reads the answer on this thread: the deadline lowers that socket's read timeout, with
        // no second thread to watch the call.
        return CallDeadline.within(budget, () -> call(replica, s -> s.forward(new Wire.Mutations(mutations))));
    }

    /**
     * Looks up every peer once, in the background, retrying for a while as peers come up: the
     * first transaction after a start then finds its connections (and TLS sessions) ready instead
     * of paying for them inside its vote timeout.
     */
    public void connectAllInBackground(Duration patience) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + patience.toNanos();
            Set<Integer> missing = new TreeSet<>(cluster.ids());
            missing.remove(self);
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                missing.removeIf(peer -> {
                    try {
                        stub(peer);
                        return true;
                    } catch (RemoteException | RuntimeException e) {
                        return false;
                    }
                });
                if (!missing.isEmpty()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                }
            }
        }, "peer-connect-" + self);
        t.setDaemon(true);
        t.start();
    }

    /** A call to a peer; a forwarded write may also end in the coordinator's refusal, a {@link ChorusException}. */
    private interface RemoteCall<T> {
        T apply(PeerService service) throws RemoteException, ChorusException;
    }

    private <T> T call(int replica, RemoteCall<T> call) throws RemoteException, ChorusException {
        PeerService stub = stub(replica);
        try {
            return call.apply(stub);
        } catch (NoSuchObjectException | java.rmi.ConnectException e) {
            // The peer restarted: it exported new objects, and its peer port, unless configured,
            // is a new one, so the old stub finds no object or no listener. The call never ran,
            // so one retry through the door is safe and spares the first transaction after a
            // restart an abort; a peer that is really down refuses the lookup as fast.
            stubs.remove(replica, stub);
            return call.apply(stub(replica));
        } catch (RemoteException e) {
            stubs.remove(replica, stub);
            throw e;
        }
    }

    private PeerService stub(int replica) throws RemoteException {
        PeerService stub = stubs.get(replica);
        if (stub != null) {
            return stub;
        }
        stub = open(replica);
        stubs.put(replica, stub);
        return stub;
    }

    /**
     * Opens a peer's service through its door: the peer's challenge answered with proof of the
     * cluster secret, and the peer's proof in return checked before anything it says is trusted.
     */
    private PeerService open(int replica) throws RemoteException {
        ReplicaAddress a = cluster.require(replica);
        PeerDoor door;
        try {
            door = (PeerDoor) LocateRegistry.getRegistry(a.host(), a.port(), sockets).lookup(PeerDoor.NAME);
        } catch (NotBoundException e) {
            throw new RemoteException(a + " is not serving the peer protocol");
        } catch (ClassCastException e) {
            throw new RemoteException(a + " bound something else than a peer door as " + PeerDoor.NAME);
        }
        String theirs = door.clusterFingerprint();
        if (!theirs.equals(cluster.fingerprint())) {
            throw new RemoteException(a + " belongs to another cluster (membership " + theirs + ", ours " + cluster.fingerprint()
                    + "): check the cluster files");
        }
        byte[] challenge = door.challenge();
        byte[] nonce = PeerProof.nonce();
        PeerPass pass;
        try {
            pass = door.open(self, challenge, nonce, proofs.request(self, replica, challenge, nonce));
        } catch (NotPermittedException e) {
            throw new AccessException(e.getMessage());
        }
        if (pass == null || pass.service() == null || !proofs.isReply(self, replica, challenge, nonce, pass.proof())) {
            String why = "replica " + replica + " at " + a.hostPort() + " did not prove the cluster secret: not trusted as a peer";
            local.recordAccessRefused(why);
            throw new AccessException(why);
        }
        return pass.service();
    }
}
