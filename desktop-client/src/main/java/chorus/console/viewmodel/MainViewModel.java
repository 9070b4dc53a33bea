package chorus.console.viewmodel;

import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import chorus.console.io.BatchImporter;
import chorus.console.io.ContentsExporter;
import chorus.console.io.LogExporter;
import chorus.console.service.ClusterGateway;
import chorus.console.service.Failures;
import chorus.console.util.UiExecutor;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** The main window: theme, what it is connected to, status line, export and import. */
public final class MainViewModel {

    private final ClusterGateway gateway;
    private final UiExecutor executor;
    private final ConsoleSettings settings;
    private final ContentsViewModel contents;
    private final TransactionLogViewModel log;
    private final OperationsViewModel operations;
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>();
    private final StringProperty connectedTo = new SimpleStringProperty("not connected");
    private final StringProperty status = new SimpleStringProperty("");

    public MainViewModel(ClusterGateway gateway, UiExecutor executor, ConsoleSettings settings, ContentsViewModel contents,
                         TransactionLogViewModel log, OperationsViewModel operations) {
        this.gateway = gateway;
        this.executor = executor;
        this.settings = settings;
        this.contents = contents;
        this.log = log;
        this.operations = operations;
        theme.set(settings.theme());
        theme.addListener((o, a, b) -> {
            if (b != null) {
                settings.saveTheme(b);
            }
        });
    }

    public void toggleTheme() {
        theme.set(theme.get().other());
    }

    public void connected(String hostPort, int replicas) {
        connectedTo.set("connected through " + hostPort + " - " + replicas + " replicas");
    }

    public void exportContents(Path file) {
        List<ContentsRow> rows = contents.allRows();
        List<Integer> ids = List.copyOf(contents.replicaIds());
        status.set("exporting contents...");
        executor.submit(() -> {
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                ContentsExporter.write(rows, ids, w);
            }
            return rows.size();
        }, n -> status.set(String.format(Locale.ROOT, "exported %,d keys to %s", n, file)),
            failure -> status.set("export failed: " + Failures.describe(failure)));
    }

    /** Writes the log as JSON when the file name ends in .json, else as CSV. */
    public void exportLog(Path file) {
        List<TxRow> rows = log.allRows();
        List<Integer> ids = log.replicas();
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        status.set("exporting the transaction log...");
        // TxRow's properties belong to the UI thread: take the text now, write it in the background.
        String text;
        try {
            java.io.StringWriter sw = new java.io.StringWriter();
            if (json) {
                LogExporter.writeJson(rows, ids, sw);
            } else {
                LogExporter.writeCsv(rows, ids, sw);
            }
            text = sw.toString();
        } catch (java.io.IOException e) {
            status.set("export failed: " + e.getMessage());
            return;
        }
        executor.submit(() -> {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return rows.size();
        }, n -> status.set(String.format(Locale.ROOT, "exported %,d transactions to %s", n, file)),
            failure -> status.set("export failed: " + Failures.describe(failure)));
    }

    /** Reads a JSON file of keys and writes them as one atomic batch through the Operations view's replica. */
    public void importBatch(Path file) {
        Integer replica = operations.replicaProperty().get();
        if (replica == null) {
            status.set("import: not connected");
            return;
        }
        status.set("importing " + file.getFileName() + "...");
        executor.submit(() -> {
            List<Mutation> batch = BatchImporter.parse(Files.readString(file, StandardCharsets.UTF_8));
            WriteResult r = gateway.execute(replica, batch);
            return batch.size() + " keys committed as " + r.txId() + " through replica " + replica;
        }, msg -> status.set("imported " + msg),
            failure -> status.set("import of " + file.getFileName() + " failed, nothing written: "
                    + (failure instanceof chorus.api.InvalidRequestException ? failure.getMessage() : Failures.describe(failure))));
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public ReadOnlyStringProperty connectedToProperty() {
        return connectedTo;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }
}
