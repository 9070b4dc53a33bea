package chorus.console.view;

import chorus.console.viewmodel.InDoubtRow;
import chorus.console.viewmodel.InDoubtViewModel;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** The in-doubt table and the heuristic decision buttons. */
public final class InDoubtController {

    private final InDoubtViewModel vm;

    @FXML private TableView<InDoubtRow> table;
    @FXML private Button forceCommit;
    @FXML private Button forceAbort;
    @FXML private Label message;
    @FXML private ListView<String> actions;

    public InDoubtController(InDoubtViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        table.setId("inDoubtTable");
        table.setItems(vm.rows());
        table.getColumns().add(column("Replica", 70, r -> String.valueOf(r.replica())));
        table.getColumns().add(column("Transaction", 100, r -> r.tx().txId().toString()));
        table.getColumns().add(column("Coordinator", 90, r -> String.valueOf(r.tx().coordinator())));
        table.getColumns().add(column("Locked keys", 180, InDoubtRow::keys));
        table.getColumns().add(column("Operation", 180, r -> r.tx().operation()));
        table.getColumns().add(column("Age", 80, InDoubtRow::age));
        table.getColumns().add(column("Last attempt to learn the outcome", 260, r -> r.tx().lastAttempt()));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(b);
            }
        });
        forceCommit.disableProperty().bind(vm.selectedProperty().isNull());
        forceAbort.disableProperty().bind(vm.selectedProperty().isNull());
        message.textProperty().bind(vm.messageProperty());
        actions.setItems(vm.actions());
    }

    private static TableColumn<InDoubtRow, String> column(String title, double width, Function<InDoubtRow, String> f) {
        TableColumn<InDoubtRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    @FXML
    private void onForceCommit() {
        vm.forceCommit();
    }

    @FXML
    private void onForceAbort() {
        vm.forceAbort();
    }
}
