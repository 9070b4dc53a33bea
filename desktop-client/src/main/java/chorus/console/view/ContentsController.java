package chorus.console.view;

import chorus.console.viewmodel.ContentsRow;
import chorus.console.viewmodel.ContentsViewModel;
import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;

/**
 * The contents table: a key column and one column per replica. The table is virtualized, so only
 * visible rows get cells; rows where replicas disagree or hold a prepared write are highlighted.
 */
public final class ContentsController {

    private static final PseudoClass DISAGREE = PseudoClass.getPseudoClass("disagree");
    private static final PseudoClass PENDING = PseudoClass.getPseudoClass("pending");

    private final ContentsViewModel vm;

    @FXML private TextField filter;
    @FXML private CheckBox onlyDisagreements;
    @FXML private TableView<ContentsRow> table;
    @FXML private Label summary;

    public ContentsController(ContentsViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        table.setId("contentsTable");
        filter.setId("contentsFilter");
        filter.textProperty().bindBidirectional(vm.filterProperty());
        onlyDisagreements.selectedProperty().bindBidirectional(vm.onlyDisagreementsProperty());
        summary.textProperty().bind(vm.summaryProperty());
        table.setItems(vm.visibleRows());
        table.setFixedCellSize(24);
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(ContentsRow row, boolean empty) {
                super.updateItem(row, empty);
                pseudoClassStateChanged(DISAGREE, !empty && row != null && row.disagree());
                pseudoClassStateChanged(PENDING, !empty && row != null && row.pending());
            }
        });
        vm.replicaIds().addListener((ListChangeListener<Integer>) c -> buildColumns(List.copyOf(vm.replicaIds())));
        buildColumns(List.copyOf(vm.replicaIds()));
    }

    public void focusFilter() {
        filter.requestFocus();
    }

    private void buildColumns(List<Integer> ids) {
        TableColumn<ContentsRow, String> key = new TableColumn<>("Key");
        key.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().key()));
        key.setPrefWidth(220);
        table.getColumns().setAll(List.of(key));
        for (Integer id : ids) {
            TableColumn<ContentsRow, String> col = new TableColumn<>("Replica " + id);
            col.setId("contents-replica-" + id);
            col.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().describe(id)));
            col.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(String text, boolean empty) {
                    super.updateItem(text, empty);
                    setText(empty ? null : text);
                    ContentsRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                    pseudoClassStateChanged(PENDING, row != null && row.cell(id).map(e -> e.pendingTx() != null).orElse(false));
                }
            });
            col.setSortable(false);
            col.setPrefWidth(200);
            table.getColumns().add(col);
        }
        key.setSortable(false);
    }
}
