package chorus.server.protocol;

import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import java.time.Duration;
import java.util.List;

/** A peer channel for tests that exercise one kind of call: every call a test does not override fails loudly. */
abstract class UnusedPeerChannel implements PeerChannel {

    @Override
    public Vote lock(int replica, PrepareRequest request) throws Exception {
        throw new UnsupportedOperationException("lock is not used by this test");
    }

    @Override
    public Vote prepare(int replica, PrepareRequest request) throws Exception {
        throw new UnsupportedOperationException("prepare is not used by this test");
    }

    @Override
    public void decide(int replica, TxId txId, Decision decision) throws Exception {
        throw new UnsupportedOperationException("decide is not used by this test");
    }

    @Override
    public TxOutcome outcome(int replica, TxId txId, long preparedAtMillis) throws Exception {
        throw new UnsupportedOperationException("outcome is not used by this test");
    }

    @Override
    public WriteResult forward(int replica, List<Mutation> mutations, Duration budget) throws Exception {
        throw new UnsupportedOperationException("forward is not used by this test");
    }
}
