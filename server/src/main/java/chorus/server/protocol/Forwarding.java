package chorus.server.protocol;

import chorus.api.ChorusException;
import chorus.api.OutcomeUnknownException;
import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import java.net.ConnectException;
import java.rmi.ConnectIOException;
import java.rmi.NoSuchObjectException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a group of this replica's client writes to the replica that coordinates every write
 * (under {@link chorus.api.config.Coordination#LEADER}) and passes its answer back. It stands where
 * the coordinator stands at a replica that coordinates its own writes: behind {@link WriteGroups},
 * so that the writes waiting here travel as one call and join the leader's groups as one write.
 * The leader's own refusals (an abort, a bad request) reach the client unchanged. A failed call is told apart by
 * whether the write can have started there: a refused connection, or a leader refusing calls
 * in simulated failure, means nothing was written; any other failure (a read timeout, a reset
 * connection) leaves the outcome unknown, as a lost answer from a coordinator does.
 */
final class Forwarding implements WriteGroups.Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

    private final int self;
    private final int leader;
    private final PeerChannel channel;

    Forwarding(int self, int leader, PeerChannel channel) {
        this.self = self;
        this.leader = leader;
        this.channel = channel;
    }

    @Override
    public WriteResult execute(List<Mutation> mutations) throws ChorusException, InterruptedException {
        try {
            return channel.forward(leader, mutations);
        } catch (ChorusException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String what = "replica " + self + " forwards writes to replica " + leader + ", the coordinator of every write, which ";
            if (neverStarted(e)) {
                LOG.warn("{}could not be reached: {}", what, Calls.describe(e));
                throw new ChorusException(what + "could not be reached (" + Calls.describe(e) + "); nothing was written");
            }
            LOG.warn("{}did not answer: {}; the write's outcome is unknown", what, Calls.describe(e));
            throw new OutcomeUnknownException(null, what + "did not answer (" + Calls.describe(e)
                    + "); the write may or may not have taken effect, a read tells");
        }
    }

    /** True when the call cannot have reached the leader's write path. */
    static boolean neverStarted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectIOException || t instanceof NoSuchObjectException) {
                return true;
            }
            if (String.valueOf(t.getMessage()).contains("(simulated failure)")) {
                return true;
            }
        }
        return false;
    }
}
