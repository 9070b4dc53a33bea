package chorus.console.service;

import java.time.Duration;

/**
 * The console's own waits. The stubs a replica hands out carry the cluster's socket timeouts, which
 * may be long; these bound every call the console makes, so that a replica that stops answering
 * turns unreachable on its card quickly and no operator action waits for ever.
 *
 * @param connect   opening a connection to a replica's registry
 * @param call      a status, event, contents or admin call
 * @param operation a client write or read (it must outlast one round of the protocol)
 * @param poll      pause between two polls of one replica
 * @param contentsInterval shortest pause between two full reads of a replica's contents
 */
public record ConsoleTimeouts(Duration connect, Duration call, Duration operation, Duration poll, Duration contentsInterval) {

    public static final ConsoleTimeouts DEFAULTS = new ConsoleTimeouts(
            Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofMillis(20000), Duration.ofMillis(200),
            Duration.ofMillis(500));

    public ConsoleTimeouts {
        for (Duration d : new Duration[] {connect, call, operation, poll, contentsInterval}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("console timeouts must be positive, got " + d);
            }
        }
    }
}
