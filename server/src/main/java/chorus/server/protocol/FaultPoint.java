package chorus.server.protocol;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named places in the protocol where a failure drill can crash the replica. Off unless the replica
 * was started with {@code -Dchorus.fault=POINT}, for example {@code coordinator-after-decision};
 * when on, the replica halts (like kill -9: no shutdown hooks, no flush) the first time it passes
 * the point. Costs one volatile read when off.
 */
public enum FaultPoint {
    /** Coordinator: PREPARE has gone out to every replica; no vote counted yet. */
    COORDINATOR_AFTER_PREPARE_SENT,
    /** Coordinator: the COMMIT decision is durable; no replica has been told. */
    COORDINATOR_AFTER_DECISION,
    /** Participant: voted YES earlier and is about to apply the decision it just received. */
    PARTICIPANT_ON_DECISION;

    private static final Logger LOG = LoggerFactory.getLogger(FaultPoint.class);
    private static volatile FaultPoint armed = parse(System.getProperty("chorus.fault"));

    public static FaultPoint parse(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Halts the JVM if this point is armed. */
    public void hit() {
        if (armed == this) {
            LOG.error("fault point {} reached: halting", id());
            Runtime.getRuntime().halt(137);
        }
    }
}
