package chorus.console.view;

import chorus.console.viewmodel.OperationKind;
import chorus.console.viewmodel.OperationsViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;

/** Binds the Operations form and its result to the view-model. */
public final class OperationsController {

    private final OperationsViewModel vm;

    @FXML private ChoiceBox<Integer> replica;
    @FXML private ChoiceBox<OperationKind> operation;
    @FXML private Label keyLabel;
    @FXML private TextField key;
    @FXML private Label valueLabel;
    @FXML private TextField value;
    @FXML private Label versionLabel;
    @FXML private TextField expectedVersion;
    @FXML private Label batchLabel;
    @FXML private TextArea batch;
    @FXML private Button execute;
    @FXML private ProgressIndicator busy;
    @FXML private Label validation;
    @FXML private Label outcome;
    @FXML private Label txId;
    @FXML private Label version;
    @FXML private Label latency;
    @FXML private Label detail;

    public OperationsController(OperationsViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        replica.setItems(vm.replicas());
        replica.valueProperty().bindBidirectional(vm.replicaProperty());
        operation.getItems().setAll(OperationKind.values());
        operation.valueProperty().bindBidirectional(vm.operationProperty());
        key.textProperty().bindBidirectional(vm.keyProperty());
        value.textProperty().bindBidirectional(vm.valueProperty());
        expectedVersion.textProperty().bindBidirectional(vm.expectedVersionProperty());
        batch.textProperty().bindBidirectional(vm.batchProperty());
        validation.textProperty().bind(vm.validationProperty());
        busy.visibleProperty().bind(vm.busyProperty());
        execute.disableProperty().bind(vm.busyProperty());
        outcome.textProperty().bind(vm.outcomeProperty());
        txId.textProperty().bind(vm.txIdProperty());
        version.textProperty().bind(vm.versionProperty());
        latency.textProperty().bind(vm.latencyProperty());
        detail.textProperty().bind(vm.detailProperty());
        vm.failedProperty().addListener((o, a, failed) -> {
            outcome.getStyleClass().removeAll("outcome-ok", "outcome-failed");
            outcome.getStyleClass().add(failed ? "outcome-failed" : "outcome-ok");
        });

        BooleanBinding single = Bindings.createBooleanBinding(() -> vm.operationProperty().get() != OperationKind.BATCH,
                vm.operationProperty());
        BooleanBinding hasValue = Bindings.createBooleanBinding(() -> vm.operationProperty().get() == OperationKind.PUT
                || vm.operationProperty().get() == OperationKind.CONDITIONAL_PUT, vm.operationProperty());
        BooleanBinding conditional = vm.operationProperty().isEqualTo(OperationKind.CONDITIONAL_PUT);
        show(single, keyLabel, key);
        show(hasValue, valueLabel, value);
        show(conditional, versionLabel, expectedVersion);
        show(single.not(), batchLabel, batch);

        key.setId("opKey");
        value.setId("opValue");
        expectedVersion.setId("opExpectedVersion");
        batch.setId("opBatch");
        execute.setId("opExecute");
        replica.setId("opReplica");
        operation.setId("opKind");
        validation.setId("opValidation");
        outcome.setId("opOutcome");
        txId.setId("opTxId");
        version.setId("opVersion");
        latency.setId("opLatency");
        detail.setId("opDetail");
    }

    private static void show(BooleanBinding when, Node... nodes) {
        for (Node n : nodes) {
            n.visibleProperty().bind(when);
            n.managedProperty().bind(when);
        }
    }

    @FXML
    void onExecute() {
        vm.execute();
    }
}
