package chorus.console.view;

import chorus.api.config.ClusterConfig;
import chorus.console.viewmodel.ConnectViewModel;
import java.util.function.Consumer;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;

/** Binds the connect dialog to its view-model; the composition root decides what connecting leads to. */
public final class ConnectDialogController {

    private final ConnectViewModel vm;
    private final Consumer<ClusterConfig> onConnected;
    private final Runnable onCancel;

    @FXML private ComboBox<String> address;
    @FXML private Label error;
    @FXML private ProgressIndicator progress;
    @FXML private Button connectButton;
    @FXML private Button cancelButton;

    public ConnectDialogController(ConnectViewModel vm, Consumer<ClusterConfig> onConnected, Runnable onCancel) {
        this.vm = vm;
        this.onConnected = onConnected;
        this.onCancel = onCancel;
    }

    @FXML
    private void initialize() {
        address.setItems(vm.recent());
        address.getEditor().textProperty().bindBidirectional(vm.addressProperty());
        error.textProperty().bind(vm.errorProperty());
        progress.visibleProperty().bind(vm.busyProperty());
        connectButton.disableProperty().bind(vm.busyProperty());
        address.getEditor().setId("connectAddress");
    }

    @FXML
    private void onConnect() {
        vm.connect(onConnected);
    }

    @FXML
    private void onCancel() {
        onCancel.run();
    }
}
