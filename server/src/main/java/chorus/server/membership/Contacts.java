package chorus.server.membership;

import chorus.server.protocol.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each configured replica last answered one of this replica's lease requests (any answer
 * counts, granted or not): what automatic exclusion and readmission go by. Requests go out every
 * quarter lease, so a replica that answers is never silent for much longer than that.
 */
final class Contacts {

    private final Clock clock;
    private final List<Integer> configured;
    private final Map<Integer, Long> lastHeardNanos = new HashMap<>();

    Contacts(List<Integer> configured, Clock clock) {
        this.clock = clock;
        this.configured = List.copyOf(configured);
        forget();
    }

    synchronized void heard(int replica) {
        lastHeardNanos.put(replica, clock.nanoTime());
    }

    /**
     * Counts every silence from now: this replica asked nobody for a while (it just started, or its
     * failure switch was on), so it knows nothing of who answers.
     */
    synchronized void forget() {
        long now = clock.nanoTime();
        configured.forEach(r -> lastHeardNanos.put(r, now));
    }

    /** How long since {@code replica} last answered, in nanoseconds. */
    synchronized long silentNanos(int replica) {
        Long last = lastHeardNanos.get(replica);
        return last == null ? 0 : Math.max(0, clock.nanoTime() - last);
    }
}
