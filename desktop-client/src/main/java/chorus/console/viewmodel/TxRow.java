package chorus.console.viewmodel;

import chorus.api.model.EventType;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One transaction in the log, merged from the events every replica recorded about it: its keys,
 * coordinator, the state on each replica, start, duration, outcome and reason, and the raw events
 * for its timeline.
 */
public final class TxRow {

    private final TxId txId;
    private final StringProperty keys = new SimpleStringProperty("");
    private final StringProperty operation = new SimpleStringProperty("");
    private final ObjectProperty<Integer> coordinator = new SimpleObjectProperty<>();
    private final Map<Integer, ObjectProperty<TxState>> states = new HashMap<>();
    private final LongProperty startMillis = new SimpleLongProperty(Long.MAX_VALUE);
    private final LongProperty durationMillis = new SimpleLongProperty(-1);
    private final ObjectProperty<TxState> outcome = new SimpleObjectProperty<>();
    private final StringProperty reason = new SimpleStringProperty("");
    private final List<ProtocolEvent> events = new ArrayList<>();
    private long decidedAt = -1;
    private long revision;

    public TxRow(TxId txId, List<Integer> replicas) {
        this.txId = txId;
        for (Integer r : replicas) {
            states.put(r, new SimpleObjectProperty<>());
        }
        coordinator.set(txId.coordinator());
    }

    /** Folds one event (from any replica) into the row. */
    public void apply(ProtocolEvent e) {
        events.add(e);
        revision++;
        if (keys.get().isEmpty() && !e.keys().isEmpty()) {
            keys.set(String.join(", ", e.keys()));
        }
        if (operation.get().isEmpty() && !e.operation().isEmpty()) {
            operation.set(e.operation());
        }
        if (e.timeMillis() < startMillis.get() && (e.type() == EventType.STARTED || startMillis.get() == Long.MAX_VALUE)) {
            startMillis.set(e.timeMillis());
        }
        if (e.role() == Role.COORDINATOR) {
            coordinator.set(e.replica());
            applyCoordinator(e);
        } else if (e.role() == Role.PARTICIPANT) {
            applyParticipant(e);
        } else if (e.type() == EventType.HEURISTIC_DECISION) {
            if (!e.reason().isEmpty()) {
                reason.set("operator: " + e.reason());
            }
        }
        updateDuration();
    }

    private void applyCoordinator(ProtocolEvent e) {
        int self = e.replica();
        int peer = e.peer();
        switch (e.type()) {
            case STARTED -> raise(self, TxState.STARTED);
            case PREPARED -> raise(peer == 0 ? self : peer, TxState.PREPARED);
            case VOTED_NO -> {
                raise(peer == 0 ? self : peer, TxState.VOTED_NO);
                if (reason.get().isEmpty() && !e.reason().isEmpty()) {
                    reason.set(e.reason());
                }
            }
            case TIMED_OUT, UNREACHABLE -> {
                if (peer != 0) {
                    raise(peer, e.type() == EventType.TIMED_OUT ? TxState.TIMED_OUT : TxState.UNREACHABLE);
                }
                if (reason.get().isEmpty() && !e.reason().isEmpty()) {
                    reason.set(e.reason());
                }
            }
            case COMMITTED, ABORTED -> {
                TxState s = e.type() == EventType.COMMITTED ? TxState.COMMITTED : TxState.ABORTED;
                if (peer == 0 || peer == self) {
                    outcome.set(s);
                    decidedAt = e.timeMillis();
                    raise(self, s);
                    if (!e.reason().isEmpty()) {
                        reason.set(e.reason());
                    }
                    if (e.elapsedMicros() >= 0) {
                        durationMillis.set(e.elapsedMicros() / 1000);
                    }
                } else {
                    raise(peer, s);
                }
            }
            case ACKNOWLEDGED -> {
                if (peer != 0 && outcome.get() != null) {
                    raise(peer, outcome.get());
                }
            }
            default -> {
            }
        }
    }

    private void applyParticipant(ProtocolEvent e) {
        int self = e.replica();
        switch (e.type()) {
            case PREPARED -> raise(self, TxState.PREPARED);
            case VOTED_NO -> raise(self, TxState.VOTED_NO);
            case TIMED_OUT -> raise(self, TxState.TIMED_OUT);
            case IN_DOUBT -> raise(self, TxState.IN_DOUBT);
            case COMMITTED -> raise(self, TxState.COMMITTED);
            case ABORTED -> raise(self, TxState.ABORTED);
            case HEURISTIC_DECISION -> {
                if (!e.reason().isEmpty()) {
                    reason.set("operator: " + e.reason());
                }
            }
            default -> {
            }
        }
    }

    private void raise(int replica, TxState next) {
        ObjectProperty<TxState> p = states.computeIfAbsent(replica, r -> new SimpleObjectProperty<>());
        TxState now = p.get();
        // A replica whose vote timed out (or was NO, or never arrived) keeps showing why the
        // transaction aborted, even after the ABORT is delivered to it later.
        boolean causeOfAbort = now == TxState.TIMED_OUT || now == TxState.UNREACHABLE || now == TxState.VOTED_NO;
        if (next == TxState.ABORTED && causeOfAbort) {
            return;
        }
        if (now == null || now.yieldsTo(next)) {
            p.set(next);
        }
    }

    private void updateDuration() {
        if (durationMillis.get() < 0 && decidedAt >= 0 && startMillis.get() != Long.MAX_VALUE) {
            durationMillis.set(Math.max(0, decidedAt - startMillis.get()));
        }
    }

    /** The lanes of this transaction's timeline, one per replica that took part. */
    public List<TimelineLane> timeline() {
        List<ProtocolEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(ProtocolEvent::timeMillis).thenComparingLong(ProtocolEvent::seq));
        long t0 = sorted.isEmpty() ? 0 : sorted.get(0).timeMillis();
        Map<Integer, List<TimelineMark>> lanes = new TreeMap<>();
        for (Integer r : states.keySet()) {
            lanes.put(r, new ArrayList<>());
        }
        java.util.Set<Integer> votesSeenByCoordinator = new java.util.HashSet<>();
        for (ProtocolEvent e : sorted) {
            if (e.role() == Role.COORDINATOR && e.type() == EventType.PREPARED) {
                votesSeenByCoordinator.add(e.peer());
            }
        }
        for (ProtocolEvent e : sorted) {
            if (e.role() == Role.PARTICIPANT && e.type() == EventType.PREPARED && votesSeenByCoordinator.contains(e.replica())) {
                continue; // the coordinator's record of the same vote carries its latency
            }
            TimelineStep step = TimelineStep.of(e);
            if (step != null) {
                lanes.computeIfAbsent(step.lane(), r -> new ArrayList<>())
                        .add(new TimelineMark(e.timeMillis() - t0, step.phase(), step.label(), step.state()));
            }
        }
        List<TimelineLane> out = new ArrayList<>();
        lanes.forEach((r, marks) -> out.add(new TimelineLane(r, r.equals(coordinator.get()), marks)));
        return out;
    }

    /** Whether any replica is (or the outcome is) in {@code s}. */
    public boolean anyReplicaIn(TxState s) {
        return s == outcome.get() || states.values().stream().anyMatch(p -> p.get() == s);
    }

    public boolean involves(int replica) {
        ObjectProperty<TxState> p = states.get(replica);
        return (p != null && p.get() != null) || Integer.valueOf(replica).equals(coordinator.get());
    }

    public TxId txId() {
        return txId;
    }

    public List<ProtocolEvent> events() {
        return List.copyOf(events);
    }

    /** Grows with every event, so that views can tell a row changed. */
    public long revision() {
        return revision;
    }

    public ReadOnlyStringProperty keysProperty() {
        return keys;
    }

    public ReadOnlyStringProperty operationProperty() {
        return operation;
    }

    public ReadOnlyObjectProperty<Integer> coordinatorProperty() {
        return coordinator;
    }

    public ReadOnlyObjectProperty<TxState> stateProperty(int replica) {
        return states.computeIfAbsent(replica, r -> new SimpleObjectProperty<>());
    }

    public ReadOnlyLongProperty startMillisProperty() {
        return startMillis;
    }

    public ReadOnlyLongProperty durationMillisProperty() {
        return durationMillis;
    }

    public ReadOnlyObjectProperty<TxState> outcomeProperty() {
        return outcome;
    }

    public ReadOnlyStringProperty reasonProperty() {
        return reason;
    }
}
