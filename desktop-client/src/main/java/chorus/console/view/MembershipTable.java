package chorus.console.view;

import chorus.console.viewmodel.MembershipRow;
import chorus.console.viewmodel.TransactionLogViewModel;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;

/** The columns of the log's membership table: one per replica, as the transactions' table has. */
final class MembershipTable {

    private MembershipTable() {
    }

    static void configure(TableView<MembershipRow> table) {
        table.setId("membershipTable");
        table.setFixedCellSize(26);
        // Every replica's own record of the row, one line each, on hover.
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(MembershipRow row, boolean empty) {
                super.updateItem(row, empty);
                setTooltip(empty || row == null ? null : new Tooltip(row.details()));
                getStyleClass().remove("membership-view-row");
                if (!empty && row != null && row.epoch() > 0) {
                    getStyleClass().add("membership-view-row");
                }
            }
        });
    }

    static void buildColumns(TableView<MembershipRow> table, List<Integer> replicas) {
        table.getColumns().clear();
        table.getColumns().add(column("Time", "membership-time", 100, r -> Bindings.createStringBinding(
                () -> r.timeMillisProperty().get() == Long.MAX_VALUE ? "" : TransactionLogViewModel.clockTime(r.timeMillisProperty().get()),
                r.timeMillisProperty())));
        table.getColumns().add(column("Event", "membership-event", 175, MembershipRow::eventProperty));
        table.getColumns().add(column("Change", "membership-change", 140, MembershipRow::changeProperty));
        // Before the replicas' columns: on a narrow window the reason stays in sight.
        table.getColumns().add(column("Reason", "membership-reason", 380, MembershipRow::reasonProperty));
        table.getColumns().add(column("Write set", "membership-write-set", 80, MembershipRow::writeSetProperty));
        table.getColumns().add(column("Proposed by", "membership-proposer", 95, MembershipRow::proposerProperty));
        table.getColumns().add(column("Agreed by", "membership-agreed", 90, MembershipRow::agreedByProperty));
        for (Integer id : replicas) {
            table.getColumns().add(column("R" + id, "membership-replica-" + id, 150, r -> r.markProperty(id)));
        }
        table.getColumns().forEach(c -> c.setSortable(false));
    }

    private static TableColumn<MembershipRow, String> column(String title, String id, double width,
                                                             Function<MembershipRow, ObservableValue<String>> value) {
        TableColumn<MembershipRow, String> c = new TableColumn<>(title);
        c.setId(id);
        c.setCellValueFactory(x -> value.apply(x.getValue()));
        c.setPrefWidth(width);
        return c;
    }
}
