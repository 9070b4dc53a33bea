package chorus.console.view;

import chorus.console.viewmodel.MembershipViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The cluster header and the membership banner; it only binds and forwards. */
public final class MembershipBarController {

    private final MembershipViewModel vm;

    @FXML private Label clusterView;
    @FXML private VBox banner;
    @FXML private HBox outageRow;
    @FXML private Label outage;
    @FXML private Button exclude;
    @FXML private HBox readmitRow;
    @FXML private Label readmitNote;
    @FXML private Button readmit;
    @FXML private HBox messageRow;
    @FXML private ProgressIndicator busy;
    @FXML private Label membershipMessage;
    @FXML private Button dismiss;

    public MembershipBarController(MembershipViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        clusterView.setId("clusterView");
        banner.setId("membershipBanner");
        outage.setId("membershipOutage");
        exclude.setId("excludeButton");
        readmitNote.setId("readmitNote");
        readmit.setId("readmitButton");
        membershipMessage.setId("membershipMessage");
        dismiss.setId("membershipDismiss");
        clusterView.textProperty().bind(Bindings.when(vm.viewTextProperty().isEmpty())
                .then("not known yet").otherwise(vm.viewTextProperty()));
        outage.textProperty().bind(vm.outageProperty());
        exclude.textProperty().bind(Bindings.format("Exclude replica %s...", vm.excludeTargetProperty()));
        readmitNote.textProperty().bind(vm.readmitNoteProperty());
        readmit.textProperty().bind(Bindings.format("Readmit replica %s...", vm.readmitTargetProperty()));
        exclude.disableProperty().bind(vm.busyProperty());
        readmit.disableProperty().bind(vm.busyProperty());
        membershipMessage.textProperty().bind(vm.messageProperty());
        vm.failedProperty().addListener((o, was, now) -> setStyle(membershipMessage, "error-message", now));
        shownWhen(outageRow, vm.outageProperty().isNotEmpty());
        shownWhen(readmitRow, vm.readmitNoteProperty().isNotEmpty());
        shownWhen(messageRow, vm.messageProperty().isNotEmpty().or(vm.busyProperty()));
        shownWhen(busy, vm.busyProperty());
        shownWhen(dismiss, vm.busyProperty().not());
        shownWhen(banner, vm.showingProperty());
        // The banner warns while writes fail; it only informs otherwise.
        vm.outageProperty().addListener((o, a, text) -> setStyle(banner, "banner-writes-failing", !text.isEmpty()));
    }

    private static void shownWhen(Node node, ObservableBooleanValue condition) {
        node.visibleProperty().bind(condition);
        node.managedProperty().bind(condition);
    }

    private static void setStyle(Node node, String styleClass, boolean on) {
        node.getStyleClass().remove(styleClass);
        if (on) {
            node.getStyleClass().add(styleClass);
        }
    }

    @FXML
    private void onExclude() {
        vm.exclude();
    }

    @FXML
    private void onReadmit() {
        vm.readmit();
    }

    @FXML
    private void onDismiss() {
        vm.dismiss();
    }
}
