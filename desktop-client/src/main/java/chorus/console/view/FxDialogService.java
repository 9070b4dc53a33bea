package chorus.console.view;

import chorus.console.viewmodel.DialogService;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Answers the view-models' questions with modal dialogs owned by the main window. */
public final class FxDialogService implements DialogService {

    private final Supplier<Window> owner;

    public FxDialogService(Supplier<Window> owner) {
        this.owner = owner;
    }

    /** Dialogs wear the main window's theme. */
    private void themed(Alert a) {
        Window w = owner.get();
        if (w != null && w.getScene() != null) {
            a.getDialogPane().getStylesheets().setAll(w.getScene().getStylesheets());
        }
    }

    @Override
    public boolean confirm(String title, String question) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.OK, ButtonType.CANCEL);
        a.setTitle(title);
        a.setHeaderText(title);
        a.initOwner(owner.get());
        themed(a);
        a.getDialogPane().setId("confirmDialog");
        return a.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    @Override
    public Optional<String> confirmWithNote(String title, String question) {
        Alert a = new Alert(Alert.AlertType.WARNING, null, ButtonType.OK, ButtonType.CANCEL);
        a.setTitle(title);
        a.setHeaderText(title);
        TextField note = new TextField();
        note.setId("decisionNote");
        note.setPromptText("why (recorded with the decision)");
        Label text = new Label(question);
        text.setWrapText(true);
        a.getDialogPane().setContent(new VBox(8, text, new Label("Note for the record:"), note));
        a.initOwner(owner.get());
        themed(a);
        return a.showAndWait().filter(b -> b == ButtonType.OK).map(b -> note.getText());
    }
}
