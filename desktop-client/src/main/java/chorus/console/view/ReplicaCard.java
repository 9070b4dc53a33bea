package chorus.console.view;

import chorus.console.viewmodel.MembershipRole;
import chorus.console.viewmodel.ReplicaCardViewModel;
import chorus.console.viewmodel.ReplicaCardViewModel.CardState;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.ToggleSwitch;

/** One replica's card; it only binds to its view-model. Node ids ({@code #card-3}, {@code #failure-3}...) serve tests. */
public final class ReplicaCard extends VBox {

    public ReplicaCard(ReplicaCardViewModel vm) {
        int id = vm.id();
        setId("card-" + id);
        getStyleClass().add("replica-card");
        setSpacing(4);
        setPadding(new Insets(8));
        setPrefWidth(255);
        setMinWidth(230);

        Label title = new Label("Replica " + id);
        title.getStyleClass().add("card-title");
        Label state = new Label();
        state.setId("state-" + id);
        state.textProperty().bind(vm.stateTextProperty());
        state.getStyleClass().add("card-state");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);

        Label address = new Label(vm.address());
        address.getStyleClass().add("card-address");
        Label uptime = new Label();
        uptime.textProperty().bind(vm.uptimeProperty());
        uptime.getStyleClass().add("card-address");
        HBox where = new HBox(8, address, uptime);

        Label role = new Label();
        role.setId("role-" + id);
        role.textProperty().bind(vm.roleTextProperty());
        role.getStyleClass().add("role-badge");
        role.visibleProperty().bind(vm.roleTextProperty().isNotEmpty());
        role.managedProperty().bind(role.visibleProperty());
        role.setMinWidth(Region.USE_PREF_SIZE);
        Label view = new Label();
        view.setId("view-" + id);
        view.textProperty().bind(vm.membershipDetailProperty());
        view.getStyleClass().add("card-address");
        view.setTooltip(new Tooltip());
        view.getTooltip().textProperty().bind(vm.membershipDetailFullProperty());
        HBox header = new HBox(8, title, spacer, state);
        HBox membership = new HBox(6, role, view);
        membership.setAlignment(Pos.CENTER_LEFT);

        // A learner's copy of the data: a bar, and the words (which member, how many keys of how many).
        ProgressBar catchUp = new ProgressBar();
        catchUp.setId("catchup-" + id);
        catchUp.progressProperty().bind(vm.catchUpFractionProperty());
        catchUp.setMaxWidth(Double.MAX_VALUE);
        Label catchUpText = new Label();
        catchUpText.setId("catchup-text-" + id);
        catchUpText.setWrapText(true);
        catchUpText.textProperty().bind(vm.catchUpTextProperty());
        VBox catchUpBox = new VBox(2, catchUp, catchUpText);
        catchUpBox.visibleProperty().bind(vm.catchingUpProperty());
        catchUpBox.managedProperty().bind(vm.catchingUpProperty());

        GridPane counters = new GridPane();
        counters.setHgap(10);
        counters.setVgap(2);
        addCounter(counters, 0, 0, "keys", id, "keys", Bindings.format("%,d", vm.keyCountProperty()));
        addCounter(counters, 0, 1, "in flight", id, "inflight", vm.inFlightProperty().asString());
        addCounter(counters, 1, 0, "in doubt", id, "indoubt", vm.inDoubtProperty().asString());
        addCounter(counters, 1, 1, "commits", id, "commits", Bindings.format("%,d", vm.commitsProperty()));
        addCounter(counters, 2, 0, "aborts", id, "aborts", Bindings.format("%,d", vm.abortsProperty()));
        addCounter(counters, 2, 1, "timeouts", id, "timeouts", Bindings.format("%,d", vm.timeoutsProperty()));

        ToggleSwitch failure = new ToggleSwitch("Simulate failure");
        failure.setId("failure-" + id);
        failure.selectedProperty().bindBidirectional(vm.failureSwitchProperty());
        failure.disableProperty().bind(vm.switchBusyProperty()
                .or(Bindings.createBooleanBinding(() -> vm.stateProperty().get() == CardState.UNREACHABLE
                        || vm.stateProperty().get() == CardState.CONNECTING, vm.stateProperty())));
        failure.setTooltip(new Tooltip("While on, replica " + id + " answers every client and peer call as a crashed replica would"));

        Label problem = new Label();
        problem.setId("problem-" + id);
        problem.setWrapText(true);
        problem.getStyleClass().add("error-message");
        problem.textProperty().bind(vm.problemProperty());
        problem.managedProperty().bind(vm.problemProperty().isNotEmpty());
        problem.visibleProperty().bind(vm.problemProperty().isNotEmpty());

        getChildren().addAll(header, where, membership, catchUpBox, counters, failure, problem);

        vm.stateProperty().addListener((o, a, b) -> applyState(b));
        applyState(vm.stateProperty().get());
        vm.roleProperty().addListener((o, a, b) -> applyRole(role, b));
        applyRole(role, vm.roleProperty().get());
    }

    /** The role on the badge and on the card itself: an excluded replica's card is set apart as a whole. */
    private void applyRole(Label badge, MembershipRole r) {
        for (MembershipRole each : MembershipRole.values()) {
            badge.getStyleClass().remove(each.styleClass());
            getStyleClass().remove("card-" + each.styleClass());
        }
        if (r != null) {
            badge.getStyleClass().add(r.styleClass());
            getStyleClass().add("card-" + r.styleClass());
        }
    }

    private void applyState(CardState s) {
        getStyleClass().removeAll("card-up", "card-unreachable", "card-failed", "card-connecting", "card-disk-full");
        getStyleClass().add(switch (s) {
            case UP -> "card-up";
            case UNREACHABLE -> "card-unreachable";
            case SIMULATED_FAILURE -> "card-failed";
            case CONNECTING -> "card-connecting";
            case DISK_FULL, WRITES_FAILING -> "card-disk-full";
        });
    }

    private static void addCounter(GridPane grid, int row, int col, String name, int id, String key,
                                   javafx.beans.value.ObservableValue<String> value) {
        Label n = new Label(name);
        n.getStyleClass().add("counter-name");
        Label v = new Label();
        v.setId(key + "-" + id);
        v.textProperty().bind(value);
        v.getStyleClass().add("counter-value");
        grid.add(new HBox(4, n, v), col, row);
    }
}
