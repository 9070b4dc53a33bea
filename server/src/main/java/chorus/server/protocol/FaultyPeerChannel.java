package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import chorus.api.model.View;
import chorus.server.membership.Acceptance;
import chorus.server.membership.Ballot;
import chorus.server.membership.LeaseAnswer;
import chorus.server.membership.Promise;
import java.time.Duration;
import java.util.List;

/** The peer channel with this replica's outgoing message faults applied; calls to itself pass untouched. */
final class FaultyPeerChannel implements PeerChannel {

    private final int self;
    private final PeerChannel channel;
    private final FaultInjector faults;

    FaultyPeerChannel(int self, PeerChannel channel, FaultInjector faults) {
        this.self = self;
        this.channel = channel;
        this.faults = faults;
    }

    @Override
    public Vote lock(int replica, PrepareRequest request) throws Exception {
        before(replica);
        return channel.lock(replica, request);
    }

    @Override
    public Vote prepare(int replica, PrepareRequest request) throws Exception {
        before(replica);
        return channel.prepare(replica, request);
    }

    @Override
    public List<Vote> prepareAll(int replica, List<PrepareRequest> requests) throws Exception {
        // One fault check for the whole message, as for a batch of decisions.
        before(replica);
        return channel.prepareAll(replica, requests);
    }

    @Override
    public void decide(int replica, TxId txId, Decision decision) throws Exception {
        before(replica);
        channel.decide(replica, txId, decision);
    }

    @Override
    public DecisionAck decideAll(int replica, List<Decided> decisions) throws Exception {
        // One fault check for the whole message, and the batch stays one call to the peer.
        before(replica);
        return channel.decideAll(replica, decisions);
    }

    @Override
    public Exchanged exchange(int replica, List<Decided> decisions, List<PrepareRequest> prepares) throws Exception {
        // One fault check for the whole message.
        before(replica);
        return channel.exchange(replica, decisions, prepares);
    }

    @Override
    public DecisionAck durability(int replica) throws Exception {
        before(replica);
        return channel.durability(replica);
    }

    @Override
    public TxOutcome outcome(int replica, TxId txId, long preparedAtMillis) throws Exception {
        before(replica);
        return channel.outcome(replica, txId, preparedAtMillis);
    }

    @Override
    public WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception {
        before(replica);
        return channel.forward(replica, mutations, budget);
    }

    @Override
    public Promise promiseView(int replica, long epoch, Ballot ballot) throws Exception {
        before(replica);
        return channel.promiseView(replica, epoch, ballot);
    }

    @Override
    public Acceptance acceptView(int replica, Ballot ballot, View view) throws Exception {
        before(replica);
        return channel.acceptView(replica, ballot, view);
    }

    @Override
    public void learnView(int replica, View view) throws Exception {
        before(replica);
        channel.learnView(replica, view);
    }

    @Override
    public LeaseAnswer grantLease(int replica, int holder, View holderView) throws Exception {
        before(replica);
        return channel.grantLease(replica, holder, holderView);
    }

    @Override
    public CatchUpStart catchUpStart(int replica, int asker) throws Exception {
        before(replica);
        return channel.catchUpStart(replica, asker);
    }

    @Override
    public List<StoredEntry> snapshotPage(int replica, String afterKey, int limit) throws Exception {
        before(replica);
        return channel.snapshotPage(replica, afterKey, limit);
    }

    @Override
    public ChangesPage changesAfter(int replica, long afterSeq, int limit) throws Exception {
        before(replica);
        return channel.changesAfter(replica, afterSeq, limit);
    }

    @Override
    public FinalSync finalSync(int replica, View view) throws Exception {
        before(replica);
        return channel.finalSync(replica, view);
    }

    private void before(int replica) throws Exception {
        if (replica != self) {
            faults.beforeSend(replica);
        }
    }
}
