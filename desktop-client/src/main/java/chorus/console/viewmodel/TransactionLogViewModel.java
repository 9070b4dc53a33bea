package chorus.console.viewmodel;

import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The live transaction log: every replica's events merged by transaction id, newest transaction
 * first, with filters by state, key and replica, pause/resume, and the selected transaction's
 * timeline; beside it, the membership events (views by epoch, read leases) and the other events
 * that concern no transaction.
 */
public final class TransactionLogViewModel {

    /** Oldest transactions are dropped beyond this many, so a long run does not fill the heap. */
    public static final int MAX_ROWS = 20_000;
    /** The same for events that concern no transaction. */
    public static final int MAX_REPLICA_EVENTS = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final ObservableList<Integer> replicas = FXCollections.observableArrayList();
    private final Map<TxId, TxRow> byId = new HashMap<>();
    private final ObservableList<TxRow> rows = FXCollections.observableArrayList();
    private final FilteredList<TxRow> visible = new FilteredList<>(rows, r -> true);
    private final ObjectProperty<TxState> stateFilter = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> replicaFilter = new SimpleObjectProperty<>();
    private final StringProperty keyFilter = new SimpleStringProperty("");
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final ObjectProperty<TxRow> selected = new SimpleObjectProperty<>();
    private final ObservableList<TimelineLane> timeline = FXCollections.observableArrayList();
    private final StringProperty summary = new SimpleStringProperty("");
    /**
     * Events that concern no transaction, newest first, one line each: the failure switch, a
     * recovery, injected faults, and under leader coordination a forward that failed before the
     * leader named a transaction (so that its timeout shows here, not only in the log file).
     * Membership events are not among them: they have their table, {@link #membershipRows()}.
     */
    private final ObservableList<String> replicaEvents = FXCollections.observableArrayList();
    /** The time of each of {@link #replicaEvents}, in the same order: replicas are polled one by one. */
    private final List<Long> replicaEventTimes = new ArrayList<>();
    private final MembershipLog membership = new MembershipLog();
    private final List<ProtocolEvent> held = new ArrayList<>();
    private long missed;

    public TransactionLogViewModel() {
        stateFilter.addListener((o, a, b) -> applyFilter());
        replicaFilter.addListener((o, a, b) -> applyFilter());
        keyFilter.addListener((o, a, b) -> applyFilter());
        paused.addListener((o, was, now) -> {
            if (!now) {
                List<ProtocolEvent> backlog = List.copyOf(held);
                held.clear();
                apply(backlog);
            }
            updateSummary();
        });
        selected.addListener((o, a, b) -> refreshTimeline());
    }

    public void setReplicas(List<Integer> ids) {
        replicas.setAll(ids);
        byId.clear();
        rows.clear();
        replicaEvents.clear();
        replicaEventTimes.clear();
        membership.clear();
        held.clear();
        selected.set(null);
        updateSummary();
    }

    /** New events from one replica (UI thread). While paused they are held and applied on resume. */
    public void eventsArrived(int replica, List<ProtocolEvent> events, long missedNow) {
        missed += missedNow;
        if (paused.get()) {
            held.addAll(events);
            updateSummary();
            return;
        }
        apply(events);
    }

    private void apply(List<ProtocolEvent> events) {
        Set<TxRow> touched = new LinkedHashSet<>();
        List<TxRow> created = new ArrayList<>();
        for (ProtocolEvent e : events) {
            if (e.role() == Role.MEMBERSHIP) {
                membership.add(e);
                continue;
            }
            if (e.txId() == null) {
                addReplicaEvent(e);
                continue;
            }
            TxRow row = byId.get(e.txId());
            if (row == null) {
                row = new TxRow(e.txId(), replicas);
                byId.put(e.txId(), row);
                created.add(row);
            }
            row.apply(e);
            touched.add(row);
        }
        if (!created.isEmpty()) {
            // Newest first: the last created is the newest.
            List<TxRow> front = new ArrayList<>(created);
            java.util.Collections.reverse(front);
            rows.addAll(0, front);
            trim();
        }
        if (!touched.isEmpty()) {
            // Re-run the filter: a row's state may now match (or no longer match) it.
            if (stateFilter.get() != null || replicaFilter.get() != null) {
                applyFilter();
            }
            if (selected.get() != null && touched.contains(selected.get())) {
                refreshTimeline();
            }
        }
        updateSummary();
    }

    private void trim() {
        if (rows.size() > MAX_ROWS) {
            List<TxRow> drop = new ArrayList<>(rows.subList(MAX_ROWS, rows.size()));
            rows.remove(MAX_ROWS, rows.size());
            drop.forEach(r -> byId.remove(r.txId()));
        }
    }

    private void applyFilter() {
        TxState state = stateFilter.get();
        Integer replica = replicaFilter.get();
        String key = keyFilter.get() == null ? "" : keyFilter.get().trim().toLowerCase(Locale.ROOT);
        visible.setPredicate(r -> {
            if (!key.isEmpty() && !r.keysProperty().get().toLowerCase(Locale.ROOT).contains(key)) {
                return false;
            }
            if (replica != null && state != null) {
                return r.stateProperty(replica).get() == state;
            }
            if (replica != null && !r.involves(replica)) {
                return false;
            }
            return state == null || r.anyReplicaIn(state);
        });
        updateSummary();
    }

    private void refreshTimeline() {
        TxRow r = selected.get();
        timeline.setAll(r == null ? List.of() : r.timeline());
    }

    private void updateSummary() {
        String s = String.format(Locale.ROOT, "%,d transactions (%,d shown)", rows.size(), visible.size());
        if (paused.get()) {
            s += String.format(Locale.ROOT, " - paused, %,d events held", held.size());
        }
        if (missed > 0) {
            s += String.format(Locale.ROOT, " - %,d events were lost to the replicas' log windows", missed);
        }
        summary.set(s);
    }

    /** Puts {@code e} in time order, newest first (after any of the same time), and drops the oldest beyond the cap. */
    private void addReplicaEvent(ProtocolEvent e) {
        int at = 0;
        while (at < replicaEventTimes.size() && replicaEventTimes.get(at) >= e.timeMillis()) {
            at++;
        }
        if (at >= MAX_REPLICA_EVENTS) {
            return;
        }
        replicaEvents.add(at, describeReplicaEvent(e));
        replicaEventTimes.add(at, e.timeMillis());
        if (replicaEvents.size() > MAX_REPLICA_EVENTS) {
            replicaEvents.remove(MAX_REPLICA_EVENTS);
            replicaEventTimes.remove(MAX_REPLICA_EVENTS);
        }
    }

    /** A time of day as the log shows it, to the millisecond, in this machine's zone. */
    public static String clockTime(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    /** One line for an event that concerns no transaction: time, replica, role and type, operation, reason. */
    static String describeReplicaEvent(ProtocolEvent e) {
        StringBuilder sb = new StringBuilder(clockTime(e.timeMillis()))
                .append("  replica ").append(e.replica()).append("  ").append(e.role()).append(' ').append(e.type());
        if (!e.operation().isEmpty()) {
            sb.append("  ").append(e.operation());
        }
        if (!e.reason().isEmpty()) {
            sb.append(": ").append(e.reason());
        }
        return sb.toString();
    }

    /** View changes, one row per epoch, and read leases lost or regained; newest first. */
    public ObservableList<MembershipRow> membershipRows() {
        return membership.rows();
    }

    /** Events that concern no transaction, newest first (see the field). */
    public ObservableList<String> replicaEvents() {
        return replicaEvents;
    }

    public TxRow row(TxId id) {
        return byId.get(id);
    }

    public List<Integer> replicas() {
        return List.copyOf(replicas);
    }

    /** The replicas of the connected cluster (the table has a column for each). */
    public ObservableList<Integer> replicaIds() {
        return replicas;
    }

    public ObservableList<TxRow> visibleRows() {
        return visible;
    }

    public List<TxRow> allRows() {
        return List.copyOf(rows);
    }

    public ObjectProperty<TxState> stateFilterProperty() {
        return stateFilter;
    }

    public ObjectProperty<Integer> replicaFilterProperty() {
        return replicaFilter;
    }

    public StringProperty keyFilterProperty() {
        return keyFilter;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public ObjectProperty<TxRow> selectedProperty() {
        return selected;
    }

    public ObservableList<TimelineLane> timeline() {
        return timeline;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }
}
