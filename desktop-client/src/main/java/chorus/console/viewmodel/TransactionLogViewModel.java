package chorus.console.viewmodel;

import chorus.api.model.ProtocolEvent;
import chorus.api.model.TxId;
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
 * timeline.
 */
public final class TransactionLogViewModel {

    /** Oldest transactions are dropped beyond this many, so a long run does not fill the heap. */
    public static final int MAX_ROWS = 20_000;

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
            if (e.txId() == null) {
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
