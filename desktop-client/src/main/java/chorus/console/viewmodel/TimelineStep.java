package chorus.console.viewmodel;

import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;

/**
 * How one event appears on a timeline: on the lane of the replica it concerns (a coordinator's
 * record of a vote goes on the voter's lane), with a short label.
 */
record TimelineStep(int lane, TimelineMark.Phase phase, String label, TxState state) {

    TimelineStep(int lane, String label, TxState state) {
        this(lane, phaseOf(label, state), label, state);
    }

    private static TimelineMark.Phase phaseOf(String label, TxState state) {
        if (label.startsWith("PREPARE")) {
            return TimelineMark.Phase.PREPARE;
        }
        if (label.startsWith("vote") || label.startsWith("prepared")) {
            return TimelineMark.Phase.VOTE;
        }
        if (label.startsWith("decision")) {
            return TimelineMark.Phase.DECISION;
        }
        if (label.startsWith("ack") || label.startsWith("forward") || label.equals("committed") || label.equals("aborted")) {
            return TimelineMark.Phase.ACKNOWLEDGEMENT;
        }
        return TimelineMark.Phase.TIMEOUT;
    }


    static TimelineStep of(ProtocolEvent e) {
        String latency = e.elapsedMicros() >= 0 ? " (" + OperationsViewModel.formatMicros(e.elapsedMicros()) + ")" : "";
        boolean coord = e.role() == Role.COORDINATOR;
        int peer = e.peer() == 0 ? e.replica() : e.peer();
        return switch (e.type()) {
            case STARTED -> new TimelineStep(e.replica(), "PREPARE sent", TxState.STARTED);
            case PREPARED -> coord
                    ? new TimelineStep(peer, "vote YES" + latency, TxState.PREPARED)
                    : new TimelineStep(e.replica(), "prepared, voted YES", TxState.PREPARED);
            case VOTED_NO -> new TimelineStep(coord ? peer : e.replica(), "vote NO" + reasonOf(e), TxState.VOTED_NO);
            case TIMED_OUT -> coord
                    ? new TimelineStep(peer, "timeout" + reasonOf(e), TxState.TIMED_OUT)
                    : new TimelineStep(e.replica(), "timeout waiting for decision", TxState.TIMED_OUT);
            case UNREACHABLE -> new TimelineStep(peer, "unreachable" + reasonOf(e), TxState.UNREACHABLE);
            case IN_DOUBT -> new TimelineStep(e.replica(), "in doubt", TxState.IN_DOUBT);
            case RESOLVED -> new TimelineStep(e.replica(), "resolved" + reasonOf(e), null);
            case COMMITTED -> coord && (e.peer() == 0 || e.peer() == e.replica())
                    ? new TimelineStep(e.replica(), "decision COMMIT" + latency, TxState.COMMITTED)
                    : new TimelineStep(peer, "committed", TxState.COMMITTED);
            case ABORTED -> coord && (e.peer() == 0 || e.peer() == e.replica())
                    ? new TimelineStep(e.replica(), "decision ABORT" + reasonOf(e), TxState.ABORTED)
                    : new TimelineStep(peer, "aborted", TxState.ABORTED);
            case ACKNOWLEDGED -> new TimelineStep(peer, "ack" + latency, null);
            // The two moments of a commit that is answered at its commit point: the client's answer
            // (with the decision), and the last acknowledgement (after the applies elsewhere).
            case ANSWERED -> new TimelineStep(e.replica(), TimelineMark.Phase.DECISION, "answered client" + latency, null);
            case ALL_ACKNOWLEDGED -> new TimelineStep(e.replica(), TimelineMark.Phase.ACKNOWLEDGEMENT,
                    "acknowledged by all" + (e.elapsedMicros() >= 0
                            ? " (" + OperationsViewModel.formatMicros(e.elapsedMicros()) + " after the decision)" : ""), null);
            // Recorded when the leader's answer came back, so it sits with the acknowledgements.
            case FORWARDED -> new TimelineStep(e.replica(), "forward answered by replica " + e.peer() + latency, null);
            case RETRIED -> new TimelineStep(e.replica(), "retried" + reasonOf(e), null);
            case HEURISTIC_DECISION -> new TimelineStep(e.replica(), "operator decision" + reasonOf(e), null);
            default -> null;
        };
    }

    private static String reasonOf(ProtocolEvent e) {
        return e.reason().isEmpty() ? "" : ": " + e.reason();
    }
}
