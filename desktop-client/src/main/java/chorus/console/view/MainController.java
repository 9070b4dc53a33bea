package chorus.console.view;

import chorus.console.viewmodel.ClusterViewModel;
import chorus.console.viewmodel.MainViewModel;
import chorus.console.viewmodel.ReplicaCardViewModel;
import chorus.console.viewmodel.Theme;
import java.io.File;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The main window: cards on the left, the views in tabs, menus with shortcuts, the status bar and the theme. */
public final class MainController {

    private final MainViewModel main;
    private final ClusterViewModel cluster;
    private final Runnable showConnect;

    @FXML private BorderPane root;
    @FXML private HBox cards;
    @FXML private Label clusterSummary;
    @FXML private TabPane tabs;
    @FXML private Tab operationsTab;
    @FXML private Tab contentsTab;
    @FXML private Tab logTab;
    @FXML private Tab inDoubtTab;
    @FXML private Tab metricsTab;
    @FXML private Label connectedTo;
    @FXML private Label status;
    @FXML private OperationsController operationsController;
    @FXML private ContentsController contentsController;
    @FXML private TransactionLogController logController;

    public MainController(MainViewModel main, ClusterViewModel cluster, Runnable showConnect) {
        this.main = main;
        this.cluster = cluster;
        this.showConnect = showConnect;
    }

    @FXML
    private void initialize() {
        clusterSummary.textProperty().bind(cluster.summaryProperty());
        connectedTo.textProperty().bind(main.connectedToProperty());
        status.textProperty().bind(main.statusProperty());
        status.setId("statusLine");
        cluster.cards().addListener((ListChangeListener<ReplicaCardViewModel>) c -> rebuildCards());
        rebuildCards();
        root.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                installShortcuts(scene);
                applyTheme(scene, main.themeProperty().get());
            }
        });
        main.themeProperty().addListener((o, a, theme) -> {
            if (root.getScene() != null) {
                applyTheme(root.getScene(), theme);
            }
        });
    }

    private void rebuildCards() {
        List<ReplicaCard> views = cluster.cards().stream().map(ReplicaCard::new).toList();
        cards.getChildren().setAll(views);
    }

    private void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN), () -> {
            tabs.getSelectionModel().select(operationsTab);
            operationsController.onExecute();
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            if (tabs.getSelectionModel().getSelectedItem() == logTab) {
                logController.focusFilter();
            } else {
                tabs.getSelectionModel().select(contentsTab);
                contentsController.focusFilter();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN), logController::togglePause);
    }

    /** The base stylesheet plus the theme's colours. */
    static void applyTheme(Scene scene, Theme theme) {
        String base = MainController.class.getResource("/chorus/console/css/base.css").toExternalForm();
        String colours = MainController.class.getResource("/chorus/console/css/" + theme.stylesheet()).toExternalForm();
        scene.getStylesheets().setAll(colours, base);
    }

    public void showTab(String name) {
        tabs.getSelectionModel().select(switch (name) {
            case "contents" -> contentsTab;
            case "log" -> logTab;
            case "inDoubt" -> inDoubtTab;
            case "metrics" -> metricsTab;
            default -> operationsTab;
        });
    }

    private Window window() {
        return root.getScene().getWindow();
    }

    @FXML
    private void onConnect() {
        showConnect.run();
    }

    @FXML
    private void onQuit() {
        window().hide();
    }

    @FXML
    private void onExportContents() {
        FileChooser fc = chooser("Export contents", "contents.json", new FileChooser.ExtensionFilter("JSON", "*.json"));
        File f = fc.showSaveDialog(window());
        if (f != null) {
            main.exportContents(f.toPath());
        }
    }

    @FXML
    private void onExportLog() {
        FileChooser fc = chooser("Export transaction log", "transactions.csv",
                new FileChooser.ExtensionFilter("CSV", "*.csv"), new FileChooser.ExtensionFilter("JSON", "*.json"));
        File f = fc.showSaveDialog(window());
        if (f != null) {
            main.exportLog(f.toPath());
        }
    }

    @FXML
    private void onImport() {
        FileChooser fc = chooser("Import keys as one atomic batch", null, new FileChooser.ExtensionFilter("JSON", "*.json"));
        File f = fc.showOpenDialog(window());
        if (f != null) {
            main.importBatch(f.toPath());
        }
    }

    private static FileChooser chooser(String title, String initialName, FileChooser.ExtensionFilter... filters) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().addAll(filters);
        if (initialName != null) {
            fc.setInitialFileName(initialName);
        }
        return fc;
    }

    @FXML
    private void onShowOperations() {
        showTab("operations");
    }

    @FXML
    private void onShowContents() {
        showTab("contents");
    }

    @FXML
    private void onShowLog() {
        showTab("log");
    }

    @FXML
    private void onShowInDoubt() {
        showTab("inDoubt");
    }

    @FXML
    private void onShowMetrics() {
        showTab("metrics");
    }

    @FXML
    private void onToggleTheme() {
        main.toggleTheme();
    }
}
