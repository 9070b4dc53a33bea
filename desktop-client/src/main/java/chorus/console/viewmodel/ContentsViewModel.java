package chorus.console.viewmodel;

import chorus.api.model.KeyEntry;
import chorus.console.util.UiExecutor;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The contents table: one row per key, one column per replica. Rows are merged in the background
 * (100,000 keys from five replicas), and the table shows them through a filtered list, so the
 * virtualized table only ever renders the visible rows.
 */
public final class ContentsViewModel {

    /** Beyond this many changed rows, replacing the whole list is cheaper than editing it. */
    private static final int MAX_EDITS = 2000;

    private final UiExecutor executor;
    private final ObservableList<Integer> replicaIds = FXCollections.observableArrayList();
    private final ObservableList<ContentsRow> rows = FXCollections.observableArrayList();
    private final FilteredList<ContentsRow> visible = new FilteredList<>(rows, r -> true);
    private final StringProperty filter = new SimpleStringProperty("");
    private final BooleanProperty onlyDisagreements = new SimpleBooleanProperty(false);
    private final StringProperty summary = new SimpleStringProperty("no contents yet");
    private final BooleanProperty loaded = new SimpleBooleanProperty(false);
    private final Map<Integer, List<KeyEntry>> latest = new HashMap<>();
    private boolean merging;
    /** What {@code rows} holds after the last merge, kept so that a merge never copies the live list. */
    private List<ContentsRow> lastMerged = List.of();
    /** Bumped when the cluster changes, so that a merge started before is dropped. */
    private long generation;
    private boolean mergeAgain;

    public ContentsViewModel(UiExecutor executor) {
        this.executor = executor;
        filter.addListener((o, a, b) -> applyFilter());
        onlyDisagreements.addListener((o, a, b) -> applyFilter());
    }

    public void setReplicas(List<Integer> ids) {
        generation++;
        lastMerged = List.of();
        latest.clear();
        rows.clear();
        loaded.set(false);
        replicaIds.setAll(ids);
        summary.set("no contents yet");
    }

    /** A replica's full contents arrived (UI thread). */
    public void replicaContents(int replica, List<KeyEntry> entries) {
        latest.put(replica, entries);
        if (merging) {
            mergeAgain = true;
            return;
        }
        startMerge();
    }

    private void startMerge() {
        merging = true;
        mergeAgain = false;
        Map<Integer, List<KeyEntry>> snapshot = Map.copyOf(latest);
        List<Integer> ids = List.copyOf(replicaIds);
        List<ContentsRow> current = lastMerged;
        long startedIn = generation;
        executor.submit(() -> {
            List<ContentsRow> m = ContentsMerger.merge(snapshot, ids);
            return new Merged(m, RowDiff.between(current, m, MAX_EDITS));
        }, result -> {
            if (startedIn != generation) {
                finishMerge();
                return;
            }
            List<ContentsRow> merged = result.rows();
            lastMerged = merged;
            if (result.edits() == null) {
                rows.setAll(merged);
            } else {
                // A few changed keys among 100,000: edit those rows only, the table keeps its place.
                for (RowDiff.Edit e : result.edits()) {
                    switch (e.kind()) {
                        case SET -> rows.set(e.index(), e.row());
                        case ADD -> rows.add(e.index(), e.row());
                        case REMOVE -> rows.remove(e.index());
                    }
                }
            }
            long disagreeing = merged.stream().filter(ContentsRow::disagree).count();
            summary.set(String.format(Locale.ROOT, "%,d keys, %,d differ between replicas", merged.size(), disagreeing));
            loaded.set(!ids.isEmpty() && snapshot.keySet().containsAll(ids));
            finishMerge();
        }, failure -> finishMerge());
    }

    private record Merged(List<ContentsRow> rows, List<RowDiff.Edit> edits) {
    }

    private void finishMerge() {
        merging = false;
        if (mergeAgain) {
            startMerge();
        }
    }

    private void applyFilter() {
        String f = filter.get() == null ? "" : filter.get().trim().toLowerCase(Locale.ROOT);
        boolean onlyBad = onlyDisagreements.get();
        visible.setPredicate(r -> (!onlyBad || r.disagree()) && (f.isEmpty() || matches(r, f)));
    }

    private static boolean matches(ContentsRow r, String f) {
        if (r.key().toLowerCase(Locale.ROOT).contains(f)) {
            return true;
        }
        return r.cells().values().stream().anyMatch(e -> e.value() != null && e.value().toLowerCase(Locale.ROOT).contains(f));
    }

    public ObservableList<Integer> replicaIds() {
        return replicaIds;
    }

    /** The rows the table shows (filtered). */
    public ObservableList<ContentsRow> visibleRows() {
        return visible;
    }

    /** Every row, unfiltered (for export). */
    public List<ContentsRow> allRows() {
        return List.copyOf(rows);
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public BooleanProperty onlyDisagreementsProperty() {
        return onlyDisagreements;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** True once every replica's contents were read at least once. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded;
    }
}
