package chorus.console.viewmodel;

import chorus.api.InvalidRequestException;
import chorus.api.Limits;
import chorus.api.TransactionAbortedException;
import chorus.api.OutcomeUnknownException;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.WriteResult;
import chorus.console.service.ClusterGateway;
import chorus.console.service.Failures;
import chorus.console.util.UiExecutor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * GET, PUT, DELETE, conditional PUT and batches against one chosen replica. Input is checked with
 * the same {@link Limits} the replicas apply, so bad input gets its message here and nothing is sent.
 */
public final class OperationsViewModel {

    private final ClusterGateway gateway;
    private final UiExecutor executor;
    private final DialogService dialogs;

    private final ObservableList<Integer> replicas = FXCollections.observableArrayList();
    private final ObjectProperty<Integer> replica = new SimpleObjectProperty<>();
    private final ObjectProperty<OperationKind> operation = new SimpleObjectProperty<>(OperationKind.PUT);
    private final StringProperty key = new SimpleStringProperty("");
    private final StringProperty value = new SimpleStringProperty("");
    private final StringProperty expectedVersion = new SimpleStringProperty("");
    private final StringProperty batch = new SimpleStringProperty("");

    private final StringProperty validation = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty outcome = new SimpleStringProperty("");
    private final StringProperty txId = new SimpleStringProperty("");
    private final StringProperty version = new SimpleStringProperty("");
    private final StringProperty latency = new SimpleStringProperty("");
    private final StringProperty detail = new SimpleStringProperty("");
    private final BooleanProperty failed = new SimpleBooleanProperty(false);
    private int sent;

    public OperationsViewModel(ClusterGateway gateway, UiExecutor executor, DialogService dialogs) {
        this.gateway = gateway;
        this.executor = executor;
        this.dialogs = dialogs;
    }

    public void setReplicas(List<Integer> ids) {
        replicas.setAll(ids);
        if (replica.get() == null || !ids.contains(replica.get())) {
            replica.set(ids.isEmpty() ? null : ids.get(0));
        }
    }

    /** Validates the form and, when it is valid (and a delete is confirmed), sends it in the background. */
    public void execute() {
        if (busy.get()) {
            return;
        }
        Integer target = replica.get();
        OperationKind op = operation.get();
        Callable<Object> call;
        try {
            if (target == null) {
                throw new InvalidRequestException("choose the replica to send the operation to");
            }
            call = prepare(target, op);
        } catch (InvalidRequestException e) {
            validation.set(e.getMessage());
            return;
        }
        validation.set("");
        if (op == OperationKind.DELETE && !dialogs.confirm("Delete key",
                "Delete key '" + Limits.abbreviate(key.get()) + "' on every replica?")) {
            detail.set("delete cancelled; nothing was sent");
            return;
        }
        busy.set(true);
        sent++;
        clearResult();
        outcome.set("sending " + op + " to replica " + target + "...");
        executor.submit(call, this::showResult, this::showFailure);
    }

    private Callable<Object> prepare(int target, OperationKind op) throws InvalidRequestException {
        String k = key.get() == null ? "" : key.get();
        String v = value.get() == null ? "" : value.get();
        switch (op) {
            case GET -> {
                Limits.checkKey(k);
                return () -> gateway.get(target, k);
            }
            case PUT -> {
                Limits.checkKey(k);
                Limits.checkValue(v);
                return () -> gateway.put(target, k, v);
            }
            case DELETE -> {
                Limits.checkKey(k);
                return () -> gateway.delete(target, k);
            }
            case CONDITIONAL_PUT -> {
                Limits.checkKey(k);
                Limits.checkValue(v);
                long expected = parseVersion(expectedVersion.get());
                List<Mutation> one = List.of(new Mutation.Put(k, v, expected));
                Limits.checkBatch(one);
                return () -> gateway.execute(target, one);
            }
            case BATCH -> {
                List<Mutation> mutations = BatchParser.parse(batch.get());
                return () -> gateway.execute(target, mutations);
            }
            default -> throw new IllegalStateException("unknown operation " + op);
        }
    }

    static long parseVersion(String text) throws InvalidRequestException {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new InvalidRequestException("expected version is empty; enter the version the key must have (0: key absent)");
        }
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("expected version '" + t + "' is not a whole number");
        }
        if (v < 0) {
            throw new InvalidRequestException("expected version " + v + " is negative; versions start at 0 (key absent)");
        }
        return v;
    }

    private void clearResult() {
        outcome.set("");
        txId.set("");
        version.set("");
        latency.set("");
        detail.set("");
        failed.set(false);
    }

    private void showResult(Object result) {
        busy.set(false);
        failed.set(false);
        if (result instanceof ReadResult r) {
            outcome.set(r.found() ? "FOUND" : "NOT FOUND");
            version.set(String.valueOf(r.version()));
            detail.set(r.found() ? r.value() : "key '" + Limits.abbreviate(r.key()) + "' has no value on replica " + r.replica());
        } else if (result instanceof WriteResult w) {
            outcome.set("COMMITTED");
            txId.set(w.txId().toString());
            version.set(versions(w.versions()));
            latency.set(formatMicros(w.latencyMicros()));
            detail.set("coordinated by replica " + w.coordinator() + (w.attempts() > 1 ? ", " + w.attempts() + " attempts" : ""));
        }
    }

    private void showFailure(Throwable failure) {
        busy.set(false);
        failed.set(true);
        if (failure instanceof TransactionAbortedException a) {
            outcome.set("ABORTED");
            txId.set(String.valueOf(a.txId()));
        } else if (failure instanceof OutcomeUnknownException u) {
            outcome.set("OUTCOME UNKNOWN");
            // No id when the write was lost on its way to the coordinator (a forwarded write).
            txId.set(u.txId() == null ? "" : u.txId().toString());
        } else {
            outcome.set("FAILED");
        }
        detail.set(Failures.describe(failure));
    }

    static String versions(Map<String, Long> versions) {
        if (versions.size() == 1) {
            return String.valueOf(versions.values().iterator().next());
        }
        return new TreeMap<>(versions).entrySet().stream()
                .map(e -> Limits.abbreviate(e.getKey()) + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    static String formatMicros(long micros) {
        if (micros < 0) {
            return "";
        }
        return micros < 10_000 ? String.format(java.util.Locale.ROOT, "%.2f ms", micros / 1000.0)
                : String.format(java.util.Locale.ROOT, "%d ms", micros / 1000);
    }

    /** How many operations were actually sent (tests use it to show that bad input sends nothing). */
    public int sentCount() {
        return sent;
    }

    public ObservableList<Integer> replicas() {
        return replicas;
    }

    public ObjectProperty<Integer> replicaProperty() {
        return replica;
    }

    public ObjectProperty<OperationKind> operationProperty() {
        return operation;
    }

    public StringProperty keyProperty() {
        return key;
    }

    public StringProperty valueProperty() {
        return value;
    }

    public StringProperty expectedVersionProperty() {
        return expectedVersion;
    }

    public StringProperty batchProperty() {
        return batch;
    }

    public ReadOnlyStringProperty validationProperty() {
        return validation;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty outcomeProperty() {
        return outcome;
    }

    public ReadOnlyStringProperty txIdProperty() {
        return txId;
    }

    public ReadOnlyStringProperty versionProperty() {
        return version;
    }

    public ReadOnlyStringProperty latencyProperty() {
        return latency;
    }

    public ReadOnlyStringProperty detailProperty() {
        return detail;
    }

    public ReadOnlyBooleanProperty failedProperty() {
        return failed;
    }
}
