package chorus.console.app;

import chorus.console.service.ConsoleTimeouts;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the console was started.
 *
 * @param connect        replica to connect to at start (skips the dialog); null: show the dialog
 * @param clusterFile    cluster file whose first replica the dialog proposes
 * @param screenshot     write a PNG of the loaded main window there and exit; null: normal run
 * @param screenshotWait longest wait for the cluster, contents and log before the screenshot
 * @param theme          theme to use (and remember); null: the remembered one
 * @param tab            view to show first (operations, contents, log, inDoubt, metrics); null: operations,
 *                       or in screenshot mode the log with a transaction's timeline
 */
public record ConsoleOptions(String connect, Path clusterFile, Path screenshot, ConsoleTimeouts timeouts, Duration screenshotWait,
                             chorus.console.viewmodel.Theme theme, String tab) {
}
