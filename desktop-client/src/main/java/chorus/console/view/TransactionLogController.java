package chorus.console.view;

import chorus.console.viewmodel.MembershipRow;
import chorus.console.viewmodel.TimelineLane;
import chorus.console.viewmodel.TimelineMark;
import chorus.console.viewmodel.TransactionLogViewModel;
import chorus.console.viewmodel.TxRow;
import chorus.console.viewmodel.TxState;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/** The live transaction log table, its filters, the membership table and the selected transaction's timeline. */
public final class TransactionLogController {

    private final TransactionLogViewModel vm;

    @FXML private ComboBox<TxState> stateFilter;
    @FXML private ComboBox<Integer> replicaFilter;
    @FXML private TextField keyFilter;
    @FXML private ToggleButton pause;
    @FXML private TableView<TxRow> table;
    @FXML private Label summary;
    @FXML private ListView<String> replicaEvents;
    @FXML private TableView<MembershipRow> membershipTable;
    @FXML private Tab membershipTab;
    @FXML private Tab replicaEventsTab;
    @FXML private Label timelineTitle;
    @FXML private VBox timeline;

    public TransactionLogController(TransactionLogViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        table.setId("logTable");
        stateFilter.setId("logStateFilter");
        replicaFilter.setId("logReplicaFilter");
        keyFilter.setId("logKeyFilter");
        pause.setId("logPause");
        timeline.setId("timeline");

        stateFilter.getItems().add(null);
        stateFilter.getItems().addAll(TxState.values());
        stateFilter.setButtonCell(stateCell());
        stateFilter.setCellFactory(l -> stateCell());
        stateFilter.valueProperty().bindBidirectional(vm.stateFilterProperty());
        replicaFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer r) {
                return r == null ? "any" : "replica " + r;
            }

            @Override
            public Integer fromString(String s) {
                return null;
            }
        });
        replicaFilter.valueProperty().bindBidirectional(vm.replicaFilterProperty());
        keyFilter.textProperty().bindBidirectional(vm.keyFilterProperty());
        pause.selectedProperty().bindBidirectional(vm.pausedProperty());
        pause.textProperty().bind(Bindings.when(vm.pausedProperty()).then("Resume (Ctrl+P)").otherwise("Pause (Ctrl+P)"));
        summary.textProperty().bind(vm.summaryProperty());
        replicaEvents.setItems(vm.replicaEvents());
        MembershipTable.configure(membershipTable);
        membershipTable.setItems(vm.membershipRows());
        // The counts say that something arrived in the tab that is not showing.
        membershipTab.textProperty().bind(Bindings.format("Membership: view changes by epoch (who proposed, who agreed, what each "
                + "replica recorded) and read leases (%d)", Bindings.size(vm.membershipRows())));
        replicaEventsTab.textProperty().bind(Bindings.format("Other replica events without a transaction: failure switch, recovery, "
                + "faults, failed forwards (%d)", Bindings.size(vm.replicaEvents())));

        table.setItems(vm.visibleRows());
        table.setFixedCellSize(26);
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(b);
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        vm.timeline().addListener((ListChangeListener<TimelineLane>) c -> drawTimeline());
        vm.replicaIds().addListener((ListChangeListener<Integer>) c -> replicasChanged());
        replicasChanged();
    }

    private void replicasChanged() {
        replicaFilter.getItems().setAll((Integer) null);
        replicaFilter.getItems().addAll(vm.replicaIds());
        buildColumns();
        MembershipTable.buildColumns(membershipTable, vm.replicas());
    }

    public void togglePause() {
        vm.pausedProperty().set(!vm.pausedProperty().get());
    }

    public void focusFilter() {
        keyFilter.requestFocus();
    }

    private static ListCell<TxState> stateCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(TxState s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    StateIcons.apply(this, null);
                    setText(empty ? null : "any");
                } else {
                    StateIcons.apply(this, s);
                }
            }
        };
    }

    private void buildColumns() {
        table.getColumns().clear();
        table.getColumns().add(textColumn("Transaction", 90, r -> r.txId().toString()));
        TableColumn<TxRow, String> keys = new TableColumn<>("Keys / operation");
        keys.setCellValueFactory(c -> Bindings.createStringBinding(() -> {
            String op = c.getValue().operationProperty().get();
            return op.isEmpty() ? c.getValue().keysProperty().get() : op;
        }, c.getValue().keysProperty(), c.getValue().operationProperty()));
        keys.setPrefWidth(150);
        table.getColumns().add(keys);
        TableColumn<TxRow, String> coord = new TableColumn<>("Coord.");
        coord.setCellValueFactory(c -> c.getValue().coordinatorProperty().asString());
        coord.setPrefWidth(55);
        table.getColumns().add(coord);
        for (Integer id : vm.replicas()) {
            TableColumn<TxRow, TxState> col = new TableColumn<>("R" + id);
            col.setId("log-replica-" + id);
            col.setCellValueFactory(c -> c.getValue().stateProperty(id));
            col.setCellFactory(c -> stateTableCell());
            col.setPrefWidth(110);
            table.getColumns().add(col);
        }
        table.getColumns().add(textColumn("Start", 95, r -> r.startMillisProperty().get() == Long.MAX_VALUE ? ""
                : TransactionLogViewModel.clockTime(r.startMillisProperty().get())));
        TableColumn<TxRow, String> duration = new TableColumn<>("Duration");
        duration.setCellValueFactory(c -> Bindings.createStringBinding(() -> c.getValue().durationMillisProperty().get() < 0 ? ""
                : c.getValue().durationMillisProperty().get() + " ms", c.getValue().durationMillisProperty()));
        duration.setPrefWidth(75);
        table.getColumns().add(duration);
        TableColumn<TxRow, TxState> outcome = new TableColumn<>("Outcome");
        outcome.setId("log-outcome");
        outcome.setCellValueFactory(c -> c.getValue().outcomeProperty());
        outcome.setCellFactory(c -> stateTableCell());
        outcome.setPrefWidth(110);
        table.getColumns().add(outcome);
        TableColumn<TxRow, String> reason = new TableColumn<>("Reason");
        reason.setCellValueFactory(c -> c.getValue().reasonProperty());
        reason.setPrefWidth(260);
        table.getColumns().add(reason);
        table.getColumns().forEach(c -> c.setSortable(false));
    }

    private static TableColumn<TxRow, String> textColumn(String title, double width, java.util.function.Function<TxRow, String> f) {
        TableColumn<TxRow, String> col = new TableColumn<>(title);
        col.setCellValueFactory(c -> new ReadOnlyStringWrapper(f.apply(c.getValue())));
        col.setPrefWidth(width);
        return col;
    }

    private static TableCell<TxRow, TxState> stateTableCell() {
        return new TableCell<>() {
            @Override
            protected void updateItem(TxState s, boolean empty) {
                super.updateItem(s, empty);
                StateIcons.apply(this, empty ? null : s);
            }
        };
    }

    private void drawTimeline() {
        timeline.getChildren().clear();
        TxRow row = vm.selectedProperty().get();
        if (row == null) {
            timelineTitle.setText("Select a transaction to see its timeline");
            return;
        }
        timelineTitle.setText("Timeline of " + row.txId() + " - " + row.operationProperty().get()
                + " (times after PREPARE was sent)");
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(4);
        grid.getStyleClass().add("timeline-grid");
        TimelineMark.Phase[] phases = TimelineMark.Phase.values();
        grid.getColumnConstraints().add(new javafx.scene.layout.ColumnConstraints(170));
        for (int p = 0; p < phases.length; p++) {
            javafx.scene.layout.ColumnConstraints c = new javafx.scene.layout.ColumnConstraints();
            c.setMinWidth(p == 2 || p == 4 ? 260 : 170);
            grid.getColumnConstraints().add(c);
        }
        grid.add(header("Replica"), 0, 0);
        for (int p = 0; p < phases.length; p++) {
            grid.add(header(phases[p].title()), p + 1, 0);
        }
        int rowIndex = 1;
        for (TimelineLane lane : vm.timeline()) {
            Label name = new Label("Replica " + lane.replica() + (lane.coordinator() ? " (coordinator)" : ""));
            name.getStyleClass().addAll("lane-name", "lane-" + lane.replica());
            grid.add(name, 0, rowIndex);
            for (int p = 0; p < phases.length; p++) {
                VBox cell = new VBox(2);
                cell.getStyleClass().addAll("timeline-cell", "lane-" + lane.replica());
                for (TimelineMark m : lane.marks()) {
                    if (m.phase() == phases[p]) {
                        Label chip = m.state() == null ? new Label() : StateIcons.label(m.state());
                        chip.setText("+" + m.offsetMillis() + " ms  " + m.label());
                        chip.getStyleClass().add("timeline-mark");
                        chip.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                        cell.getChildren().add(chip);
                    }
                }
                if (p == 0 && cell.getChildren().isEmpty() && lane.marks().isEmpty()) {
                    cell.getChildren().add(new Label("(no record)"));
                }
                grid.add(cell, p + 1, rowIndex);
            }
            rowIndex++;
        }
        timeline.getChildren().add(grid);
    }

    private static Label header(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("timeline-header");
        return l;
    }
}
