package chorus.cli;

/**
 * The exit codes of {@code kv}, part of its contract with scripts (documented in {@code --help}
 * and {@code docs/cli.md}). Codes 2 to 6 each say one thing a script can act on: fix the command
 * line, fix the input, retry the write, wait for the replica, or read back to learn the outcome.
 */
public final class ExitCodes {

    /** The command did what was asked (a read that finds no key is a success). */
    public static final int OK = 0;
    /** A bug or an unexpected failure of the client itself. */
    public static final int INTERNAL = 1;
    /** Unknown command or option, missing argument, unreadable cluster file, unknown replica id. */
    public static final int USAGE = 2;
    /** Key, value, version or batch rejected by the limits; nothing was sent, nothing changed. */
    public static final int INVALID_INPUT = 3;
    /** The replica answered but refused or aborted the request (write aborted, read timed out, admin refused). */
    public static final int FAILED = 4;
    /** The replica could not be reached or did not answer in time. */
    public static final int UNREACHABLE = 5;
    /** The coordinator could not learn the outcome of the write: it may or may not have been applied. */
    public static final int OUTCOME_UNKNOWN = 6;

    private ExitCodes() {
    }
}
