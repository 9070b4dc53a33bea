package chorus.server.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many peer calls this replica served, and how many transactions they carried: the batching
 * of PREPAREs and decisions shows as more transactions than calls. Logged when the replica stops,
 * for anyone tuning the protocol (see docs/performance.md).
 */
final class PeerTraffic {

    final LongAdder locks = new LongAdder();
    final LongAdder prepareCalls = new LongAdder();
    final LongAdder prepares = new LongAdder();
    final LongAdder decisionCalls = new LongAdder();
    final LongAdder decisions = new LongAdder();
    final LongAdder exchangeCalls = new LongAdder();
    final LongAdder forwards = new LongAdder();
    final LongAdder other = new LongAdder();

    @Override
    public String toString() {
        return "LOCK " + locks.sum() + " calls; PREPARE " + prepares.sum() + " in " + prepareCalls.sum() + " calls; decisions "
                + decisions.sum() + " in " + decisionCalls.sum() + " calls; decisions with PREPAREs in " + exchangeCalls.sum()
                + " calls (counted above too); forwarded writes " + forwards.sum() + "; other "
                + other.sum() + " calls";
    }
}
