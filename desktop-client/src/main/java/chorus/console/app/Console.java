package chorus.console.app;

import chorus.api.config.ClusterConfig;
import chorus.console.service.ClusterGateway;
import chorus.console.service.RmiClusterGateway;
import chorus.console.util.FxUiExecutor;
import chorus.console.util.UiExecutor;
import chorus.console.view.ConnectDialogController;
import chorus.console.view.ContentsController;
import chorus.console.view.FxDialogService;
import chorus.console.view.InDoubtController;
import chorus.console.view.MainController;
import chorus.console.view.MembershipBarController;
import chorus.console.view.MetricsController;
import chorus.console.view.OperationsController;
import chorus.console.view.TransactionLogController;
import chorus.console.viewmodel.ClusterViewModel;
import chorus.console.viewmodel.ConnectViewModel;
import chorus.console.viewmodel.ConsoleSettings;
import chorus.console.viewmodel.ContentsViewModel;
import chorus.console.viewmodel.InDoubtViewModel;
import chorus.console.viewmodel.MainViewModel;
import chorus.console.viewmodel.MetricsViewModel;
import chorus.console.viewmodel.OperationsViewModel;
import chorus.console.viewmodel.TransactionLogViewModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import chorus.console.viewmodel.TxRow;
import chorus.console.viewmodel.TxState;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.util.Callback;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the cluster service, the view-models and the views, and wires the
 * service's reports to the view-models through {@link FxClusterBridge}. Everything here runs on the
 * JavaFX thread; nothing here blocks.
 */
public final class Console implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    private final Stage stage;
    private final ConsoleOptions options;
    private final ClusterGateway gateway;
    private final FxUiExecutor executor;
    private final ConnectViewModel connectVm;
    private final ClusterViewModel cluster;
    private final OperationsViewModel operations;
    private final ContentsViewModel contents;
    private final TransactionLogViewModel log;
    private final InDoubtViewModel inDoubt;
    private final MetricsViewModel metrics;
    private final MainViewModel main;
    private final MainController mainController;
    private final Timeline sampler;
    private Stage connectStage;
    private boolean connected;

    private Console(Stage stage, ConsoleOptions options, ConsoleSettings settings) {
        this.stage = stage;
        this.options = options;
        this.gateway = new RmiClusterGateway(options.timeouts(), security(options));
        this.executor = new FxUiExecutor(4);
        FxDialogService dialogs = new FxDialogService(() -> stage);
        UiExecutor ui = executor;
        this.connectVm = new ConnectViewModel(gateway, ui, settings, defaultAddress(options));
        this.cluster = new ClusterViewModel(gateway, ui, dialogs, System::currentTimeMillis);
        this.operations = new OperationsViewModel(gateway, ui, dialogs);
        this.contents = new ContentsViewModel(ui);
        this.log = new TransactionLogViewModel();
        this.inDoubt = new InDoubtViewModel(gateway, ui, dialogs, System::currentTimeMillis);
        this.metrics = new MetricsViewModel();
        this.main = new MainViewModel(gateway, ui, settings, contents, log, operations);
        gateway.addListener(new FxClusterBridge(ui, cluster, contents, log, inDoubt, metrics));

        FXMLLoader loader = loader("MainWindow.fxml", type -> {
            if (type == MainController.class) {
                return new MainController(main, cluster, this::showConnectDialog);
            }
            if (type == MembershipBarController.class) {
                return new MembershipBarController(cluster.membership());
            }
            if (type == OperationsController.class) {
                return new OperationsController(operations);
            }
            if (type == ContentsController.class) {
                return new ContentsController(contents);
            }
            if (type == TransactionLogController.class) {
                return new TransactionLogController(log);
            }
            if (type == InDoubtController.class) {
                return new InDoubtController(inDoubt);
            }
            if (type == MetricsController.class) {
                return new MetricsController(metrics);
            }
            throw new IllegalArgumentException("no controller " + type);
        });
        Parent root = load(loader);
        this.mainController = loader.getController();
        stage.setTitle("Chorus console");
        // Fit the screen: a window larger than a headless screen cannot be drawn at all.
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        stage.setScene(new Scene(root, Math.min(1360, screen.getWidth()), Math.min(900, screen.getHeight())));
        stage.setMinWidth(800);
        stage.setMinHeight(500);
        this.sampler = new Timeline(new KeyFrame(Duration.seconds(1), e -> {
            metrics.sample(System.currentTimeMillis());
            cluster.tick();
        }));
        sampler.setCycleCount(Timeline.INDEFINITE);
        sampler.play();
    }

    /** Builds the console on {@code stage}, shows it and connects (or asks where to connect). */
    public static Console open(Stage stage, ConsoleOptions options, ConsoleSettings settings) {
        Console c = new Console(stage, options, settings);
        if (options.theme() != null) {
            c.main.themeProperty().set(options.theme());
        }
        if (options.tab() != null) {
            c.mainController.showTab(options.tab());
        }
        stage.show();
        if (options.connect() != null) {
            c.connectVm.addressProperty().set(options.connect());
            c.connectVm.connect(c::onConnected);
            c.connectVm.errorProperty().addListener((o, a, error) -> {
                if (!error.isEmpty() && !c.connected && c.connectStage == null && options.screenshot() == null) {
                    c.showConnectDialog();
                }
            });
        } else {
            c.showConnectDialog();
        }
        return c;
    }

    /** TLS and the operator token come from the cluster file, when there is one. */
    private static chorus.api.config.Security security(ConsoleOptions options) {
        if (options.clusterFile() != null && Files.isRegularFile(options.clusterFile())) {
            try {
                return ClusterConfig.load(options.clusterFile()).security();
            } catch (RuntimeException e) {
                LOG.warn("cannot read cluster file {}: {}", options.clusterFile(), e.getMessage());
            }
        }
        return chorus.api.config.Security.NONE;
    }

    private static String defaultAddress(ConsoleOptions options) {
        if (options.connect() != null) {
            return options.connect();
        }
        if (options.clusterFile() != null && Files.isRegularFile(options.clusterFile())) {
            try {
                return ClusterConfig.load(options.clusterFile()).replicas().get(0).hostPort();
            } catch (RuntimeException e) {
                LOG.warn("cannot read cluster file {}: {}", options.clusterFile(), e.getMessage());
            }
        }
        return null;
    }

    private void showConnectDialog() {
        if (connectStage != null) {
            connectStage.toFront();
            return;
        }
        Stage dialog = new Stage();
        dialog.initOwner(stage);
        dialog.initModality(Modality.WINDOW_MODAL);
        dialog.setTitle("Connect - Chorus console");
        FXMLLoader loader = loader("ConnectDialog.fxml", type -> new ConnectDialogController(connectVm, config -> {
            onConnected(config);
        }, dialog::close));
        Scene scene = new Scene(load(loader));
        scene.getStylesheets().setAll(stage.getScene().getStylesheets());
        dialog.setScene(scene);
        dialog.setOnHidden(e -> connectStage = null);
        connectStage = dialog;
        dialog.show();
    }

    private void onConnected(ClusterConfig config) {
        connected = true;
        cluster.setMembership(config);
        operations.setReplicas(config.ids());
        contents.setReplicas(config.ids());
        log.setReplicas(config.ids());
        inDoubt.clear();
        metrics.clear();
        main.connected(connectVm.addressProperty().get(), config.size());
        if (connectStage != null) {
            connectStage.close();
        }
    }

    private static FXMLLoader loader(String fxml, Callback<Class<?>, Object> controllers) {
        FXMLLoader loader = new FXMLLoader(Console.class.getResource("/chorus/console/view/" + fxml));
        loader.setControllerFactory(controllers);
        return loader;
    }

    private static Parent load(FXMLLoader loader) {
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + loader.getLocation(), e);
        }
    }

    /** True once every replica reported and every replica's contents (and so its log) were read once. */
    public BooleanBinding loaded() {
        return Bindings.createBooleanBinding(() -> cluster.allReportedProperty().get() && contents.loadedProperty().get(),
                cluster.allReportedProperty(), contents.loadedProperty());
    }

    /** Why the last connection attempt failed (empty when it did not). */
    public javafx.beans.property.ReadOnlyStringProperty connectErrorProperty() {
        return connectVm.errorProperty();
    }

    public Stage stage() {
        return stage;
    }

    public MainController mainController() {
        return mainController;
    }

    /** Shows the transaction log with the newest aborted (else the newest) transaction's timeline, for the docs' picture. */
    public void prepareScreenshot() {
        if (options.tab() != null && !options.tab().equals("log")) {
            mainController.showTab(options.tab());
            return;
        }
        mainController.showTab("log");
        List<TxRow> rows = log.allRows();
        rows.stream().filter(r -> r.outcomeProperty().get() == TxState.ABORTED).findFirst()
                .or(() -> rows.stream().findFirst())
                .ifPresent(log.selectedProperty()::set);
    }

    /** How many operations the Operations view actually sent (tests use it to show that bad input sends nothing). */
    public int operationsSent() {
        return operations.sentCount();
    }

    @Override
    public void close() {
        sampler.stop();
        gateway.close();
        executor.close();
    }
}
