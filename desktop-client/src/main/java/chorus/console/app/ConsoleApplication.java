package chorus.console.app;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application: opens the console, or in screenshot mode writes the PNG and exits. */
public final class ConsoleApplication extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApplication.class);
    private static final AtomicReference<ConsoleOptions> OPTIONS = new AtomicReference<>();
    private static final AtomicInteger EXIT_CODE = new AtomicInteger(0);

    private Console console;

    public static void launchWith(ConsoleOptions options) {
        OPTIONS.set(options);
        Application.launch(ConsoleApplication.class);
    }

    public static int exitCode() {
        return EXIT_CODE.get();
    }

    @Override
    public void start(Stage stage) {
        ConsoleOptions options = OPTIONS.get();
        console = Console.open(stage, options, PreferencesSettings.forUser());
        stage.setOnHidden(e -> Platform.exit());
        if (options.screenshot() != null) {
            scheduleScreenshot(options);
        }
    }

    private void scheduleScreenshot(ConsoleOptions options) {
        var loaded = console.loaded();
        PauseTransition giveUp = new PauseTransition(Duration.millis(options.screenshotWait().toMillis()));
        giveUp.setOnFinished(e -> {
            System.err.println("console: the cluster, contents and log did not load within "
                    + options.screenshotWait().toMillis() + " ms; no screenshot written");
            EXIT_CODE.set(1);
            Platform.exit();
        });
        giveUp.play();
        java.util.function.Consumer<String> failed = error -> {
            if (!error.isEmpty()) {
                giveUp.stop();
                System.err.println("console: " + error + "; no screenshot written");
                EXIT_CODE.set(1);
                Platform.exit();
            }
        };
        console.connectErrorProperty().addListener((o, a, error) -> failed.accept(error));
        failed.accept(console.connectErrorProperty().get());
        Runnable shoot = () -> {
            giveUp.stop();
            console.prepareScreenshot();
            // Let one more poll and two pulses lay out the freshly shown tab before the snapshot.
            PauseTransition settle = new PauseTransition(Duration.millis(700));
            settle.setOnFinished(e -> {
                try {
                    Screenshot.write(console.stage().getScene(), options.screenshot());
                    System.out.println("console: wrote " + options.screenshot());
                } catch (Exception ex) {
                    LOG.error("screenshot failed", ex);
                    System.err.println("console: cannot write " + options.screenshot() + ": " + ex.getMessage());
                    EXIT_CODE.set(1);
                }
                Platform.exit();
            });
            settle.play();
        };
        if (loaded.get()) {
            shoot.run();
        } else {
            loaded.addListener((o, was, now) -> {
                if (now) {
                    shoot.run();
                }
            });
        }
        // The binding is only weakly held by its listeners' source: keep it reachable while we wait.
        loadedBinding = loaded;
    }

    private javafx.beans.binding.BooleanBinding loadedBinding;

    @Override
    public void stop() {
        if (console != null) {
            console.close();
        }
    }
}
