package chorus.server.transport;

import chorus.api.ChorusException;
import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import chorus.server.protocol.CatchUpStart;
import chorus.server.protocol.ChangesPage;
import chorus.server.protocol.FinalSync;
import chorus.server.protocol.StoredEntry;
import chorus.server.protocol.Decided;
import chorus.server.protocol.DecisionAck;
import chorus.server.protocol.PrepareRequest;
import chorus.server.protocol.ReplicaNode;
import chorus.server.protocol.TxOutcome;
import chorus.server.protocol.Vote;
import chorus.server.protocol.Wire;
import chorus.api.model.View;
import chorus.server.membership.Acceptance;
import chorus.server.membership.Ballot;
import chorus.server.membership.LeaseAnswer;
import chorus.server.membership.Promise;
import java.rmi.RemoteException;
import java.util.List;

/** The RMI face of a replica's participant and coordinator towards its peers. */
final class PeerEndpoint implements PeerService {

    private final ReplicaNode node;
    private final FailureGate gate;
    private final PeerTraffic traffic;

    PeerEndpoint(ReplicaNode node, FailureGate gate, PeerTraffic traffic) {
        this.node = node;
        this.gate = gate;
        this.traffic = traffic;
    }

    @Override
    public Vote lock(PrepareRequest request) throws RemoteException {
        gate.checkPeerCall();
        traffic.locks.increment();
        try {
            return node.lock(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("replica " + node.address().id() + " was interrupted while locking for " + request.txId());
        }
    }

    @Override
    public Vote prepare(PrepareRequest request) throws RemoteException {
        gate.checkPeerCall();
        traffic.prepareCalls.increment();
        traffic.prepares.increment();
        try {
            return node.prepare(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("replica " + node.address().id() + " was interrupted while preparing " + request.txId());
        }
    }

    @Override
    public Wire.VoteBatch prepareAll(Wire.PrepareBatch batch) throws RemoteException {
        gate.checkPeerCall();
        List<PrepareRequest> requests = batch.requests();
        traffic.prepareCalls.increment();
        traffic.prepares.add(requests.size());
        try {
            return new Wire.VoteBatch(node.prepareAll(requests));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("replica " + node.address().id() + " was interrupted while preparing " + requests.size()
                    + " transactions");
        }
    }

    @Override
    public void decide(TxId txId, Decision decision) throws RemoteException {
        gate.checkPeerCall();
        traffic.decisionCalls.increment();
        traffic.decisions.increment();
        node.decide(txId, decision);
    }

    @Override
    public Wire.ExchangeReply exchange(Wire.Exchange exchange) throws RemoteException {
        gate.checkPeerCall();
        List<Decided> decisions = exchange.decisions();
        List<PrepareRequest> requests = exchange.prepares();
        traffic.exchangeCalls.increment();
        traffic.decisions.add(decisions.size());
        traffic.prepares.add(requests.size());
        try {
            return new Wire.ExchangeReply(node.exchange(decisions, requests));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("replica " + node.address().id() + " was interrupted while applying " + decisions.size()
                    + " decisions and preparing " + requests.size() + " transactions");
        }
    }

    @Override
    public DecisionAck durability() throws RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        return node.durability();
    }

    @Override
    public DecisionAck decideAll(Wire.DecisionBatch batch) throws RemoteException {
        gate.checkPeerCall();
        List<Decided> decisions = batch.decisions();
        traffic.decisionCalls.increment();
        traffic.decisions.add(decisions.size());
        try {
            return node.decideAll(decisions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("replica " + node.address().id() + " was interrupted while applying decisions");
        }
    }

    @Override
    public WriteResult forward(Wire.Mutations mutations) throws ChorusException, RemoteException {
        gate.checkClientCall();
        traffic.forwards.increment();
        try {
            return node.coordinateForwarded(mutations.mutations());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChorusException("replica " + node.address().id() + " is shutting down");
        }
    }

    @Override
    public Promise promiseView(long epoch, Ballot ballot) throws RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        return node.promiseView(epoch, ballot);
    }

    @Override
    public Acceptance acceptView(Ballot ballot, View view) throws RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        return node.acceptView(ballot, view);
    }

    @Override
    public void learnView(View view) throws RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        node.learnView(view);
    }

    @Override
    public LeaseAnswer grantLease(int holder, View holderView) throws RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        return node.grantLease(holder, holderView);
    }

    @Override
    public CatchUpStart catchUpStart(int asker) throws RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        return node.catchUpStart(asker);
    }

    @Override
    public List<StoredEntry> snapshotPage(String afterKey, int limit) throws ChorusException, RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        return node.snapshotPage(afterKey, limit);
    }

    @Override
    public ChangesPage changesAfter(long afterSeq, int limit) throws ChorusException, RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        return node.changesAfter(afterSeq, limit);
    }

    @Override
    public FinalSync finalSync(View view) throws RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        try {
            return node.finalSync(view);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("replica " + node.address().id() + " was interrupted during a final sync");
        } catch (IllegalStateException e) {
            throw new RemoteException(e.getMessage());
        }
    }

    @Override
    public TxOutcome outcome(TxId txId, long preparedAtMillis) throws RemoteException {
        gate.checkPeerCall();
        traffic.other.increment();
        return node.outcome(txId, preparedAtMillis);
    }
}
