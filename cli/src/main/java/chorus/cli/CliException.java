package chorus.cli;

/**
 * A failure already turned into what {@code kv} prints: one line for stderr (without the
 * {@code error: } prefix) and the exit code.
 */
public final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException invalidInput(String message) {
        return new CliException(ExitCodes.INVALID_INPUT, message);
    }

    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }
}
