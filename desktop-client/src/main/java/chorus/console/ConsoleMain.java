package chorus.console;

import chorus.console.app.ConsoleApplication;
import chorus.console.app.ConsoleOptions;
import chorus.console.service.ConsoleTimeouts;
import chorus.console.viewmodel.Theme;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code launch/console}: the Chorus operator console. */
@Command(name = "console", mixinStandardHelpOptions = true, version = "Chorus console 0.1",
        description = "JavaFX operator console for a Chorus cluster.")
public final class ConsoleMain implements Callable<Integer> {

    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "Connect to this replica at start (skips the dialog).")
    String connect;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/cluster.properties",
            description = "Cluster file; the connect dialog proposes its first replica (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--screenshot", paramLabel = "FILE.png",
            description = "Wait until the cluster, contents and log are loaded, write a PNG of the main window and exit.")
    Path screenshot;

    @Option(names = "--screenshot-wait-ms", defaultValue = "60000", description = "Longest wait before the screenshot (default: ${DEFAULT-VALUE}).")
    long screenshotWaitMs;

    @Option(names = "--connect-timeout-ms", defaultValue = "1000", description = "Opening a connection to a replica (default: ${DEFAULT-VALUE}).")
    long connectTimeoutMs;

    @Option(names = "--call-timeout-ms", defaultValue = "2000",
            description = "Longest wait for a status, log or admin call; a replica that does not answer in time is shown unreachable (default: ${DEFAULT-VALUE}).")
    long callTimeoutMs;

    @Option(names = "--operation-timeout-ms", defaultValue = "20000",
            description = "Longest wait for a GET/PUT/DELETE/batch (default: ${DEFAULT-VALUE}).")
    long operationTimeoutMs;

    @Option(names = "--poll-ms", defaultValue = "200", description = "Pause between two polls of a replica (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--theme", paramLabel = "light|dark", converter = ThemeConverter.class,
            description = "Use this theme (and remember it); default: the theme of the last run.")
    Theme theme;

    static final class ThemeConverter implements CommandLine.ITypeConverter<Theme> {
        @Override
        public Theme convert(String value) {
            try {
                return Theme.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a theme; use light or dark");
            }
        }
    }

    @Option(names = "--tab", paramLabel = "VIEW",
            description = "View to show first: operations, contents, log, inDoubt or metrics (default: operations; "
                    + "with --screenshot: the log and a transaction's timeline).")
    String tab;

    @Option(names = "--headless", description = "Render without a display (Monocle); implied by --screenshot when DISPLAY is unset.")
    boolean headless;

    public static void main(String[] args) {
        int code = new CommandLine(new ConsoleMain()).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() {
        ConsoleTimeouts timeouts;
        try {
            timeouts = new ConsoleTimeouts(Duration.ofMillis(connectTimeoutMs), Duration.ofMillis(callTimeoutMs),
                    Duration.ofMillis(operationTimeoutMs), Duration.ofMillis(pollMs), Duration.ofMillis(500));
        } catch (IllegalArgumentException e) {
            System.err.println("console: " + e.getMessage());
            return 2;
        }
        if (tab != null && !java.util.List.of("operations", "contents", "log", "inDoubt", "metrics").contains(tab)) {
            System.err.println("console: --tab " + tab + " is not a view; use operations, contents, log, inDoubt or metrics");
            return 2;
        }
        if (screenshot != null && connect == null) {
            System.err.println("console: --screenshot needs --connect HOST:PORT");
            return 2;
        }
        String display = System.getenv("DISPLAY");
        if (headless || (screenshot != null && (display == null || display.isBlank()))) {
            useHeadlessToolkit();
        }
        ConsoleApplication.launchWith(new ConsoleOptions(connect, config, screenshot, timeouts, Duration.ofMillis(screenshotWaitMs), theme, tab));
        return ConsoleApplication.exitCode();
    }

    /** Monocle's headless glass platform with software rendering; must be set before the toolkit starts. */
    static void useHeadlessToolkit() {
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("headless.geometry", "1360x900-32");
        System.setProperty("java.awt.headless", "true");
    }
}
