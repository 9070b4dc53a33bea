package chorus.console.viewmodel;

import chorus.api.model.Decision;
import chorus.api.model.InDoubtTransaction;
import chorus.console.service.ClusterGateway;
import chorus.console.service.Failures;
import chorus.console.util.UiExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactions held in doubt, per replica, and the operator's heuristic decisions on them. Every
 * decision is confirmed with a note first; the replica records it in its event log and the console
 * keeps its own list of the actions taken in this session.
 */
public final class InDoubtViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(InDoubtViewModel.class);

    private final ClusterGateway gateway;
    private final UiExecutor executor;
    private final DialogService dialogs;
    private final LongSupplier clock;
    private final Map<Integer, List<InDoubtTransaction>> byReplica = new TreeMap<>();
    private final ObservableList<InDoubtRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<InDoubtRow> selected = new SimpleObjectProperty<>();
    private final ObservableList<String> actions = FXCollections.observableArrayList();
    private final SimpleStringProperty message = new SimpleStringProperty("");

    public InDoubtViewModel(ClusterGateway gateway, UiExecutor executor, DialogService dialogs, LongSupplier clock) {
        this.gateway = gateway;
        this.executor = executor;
        this.dialogs = dialogs;
        this.clock = clock;
    }

    public void clear() {
        byReplica.clear();
        rows.clear();
    }

    public void replicaInDoubt(int replica, List<InDoubtTransaction> list) {
        byReplica.put(replica, List.copyOf(list));
        long now = clock.getAsLong();
        List<InDoubtRow> all = new ArrayList<>();
        byReplica.forEach((r, txs) -> txs.forEach(t -> all.add(new InDoubtRow(r, t, Math.max(0, now - t.preparedAtMillis())))));
        all.sort(Comparator.comparingLong(InDoubtRow::ageMillis).reversed());
        InDoubtRow keep = selected.get();
        rows.setAll(all);
        if (keep != null) {
            selected.set(all.stream().filter(r -> r.replica() == keep.replica() && r.tx().txId().equals(keep.tx().txId()))
                    .findFirst().orElse(null));
        }
    }

    public void forceCommit() {
        force(Decision.COMMIT);
    }

    public void forceAbort() {
        force(Decision.ABORT);
    }

    private void force(Decision decision) {
        InDoubtRow row = selected.get();
        if (row == null) {
            message.set("select a transaction first");
            return;
        }
        String what = "force " + decision + " of " + row.tx().txId() + " on replica " + row.replica()
                + " (keys " + row.keys() + ")";
        var note = dialogs.confirmWithNote("Heuristic decision",
                "This overrides two-phase commit: " + what + ".\nOther replicas may decide differently. Proceed?");
        if (note.isEmpty()) {
            message.set("cancelled; nothing was sent");
            return;
        }
        String n = note.get().isBlank() ? "forced from the console" : note.get().strip();
        message.set("sending: " + what + "...");
        executor.submit(() -> {
            gateway.forceDecision(row.replica(), row.tx().txId(), decision, n);
            return null;
        }, ok -> {
            String entry = Instant.ofEpochMilli(clock.getAsLong()) + " " + what + " - note: " + n;
            actions.add(0, entry);
            LOG.info("operator action: {}", entry);
            message.set("done: " + what);
        }, failure -> message.set("failed to " + what + ": " + Failures.describe(failure)));
    }

    public ObservableList<InDoubtRow> rows() {
        return rows;
    }

    public ObjectProperty<InDoubtRow> selectedProperty() {
        return selected;
    }

    /** The heuristic decisions taken in this session, newest first. */
    public ObservableList<String> actions() {
        return actions;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
    }
}
