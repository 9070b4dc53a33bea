package chorus.api.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A fault for a failure drill, injected into one replica over {@code ReplicaAdmin.injectFault}.
 * Only replicas started with {@code --allow-faults} accept them.
 */
public sealed interface FaultSpec extends Serializable permits FaultSpec.AtPoint, FaultSpec.OnMessages {

    /** What happens at a protocol step. */
    enum Action {
        /** Halt the JVM at once, as kill -9 would: no shutdown hooks, no flush. */
        CRASH,
        /** Block the thread that reaches the step, for {@code hangFor} or until the faults are cleared. */
        HANG
    }

    /** Which messages of a replica a message fault applies to. */
    enum Direction {
        /** Calls this replica makes to the peer. */
        TO,
        /** Calls from the peer that this replica serves. */
        FROM,
        BOTH
    }

    /** What happens to a message. */
    enum MessageAction {
        /** The message is lost; the caller sees a failed call. */
        DROP,
        /** The message is held for {@code delay} before it goes on. */
        DELAY
    }

    /**
     * Crash or hang the first time the replica passes {@code point} (an id such as
     * {@code coordinator-after-decision}). Fires once, then is disarmed.
     *
     * @param hangFor how long a HANG lasts; zero means until the faults are cleared
     */
    record AtPoint(String point, Action action, Duration hangFor) implements FaultSpec {
        public AtPoint {
            Objects.requireNonNull(point, "point");
            Objects.requireNonNull(action, "action");
            hangFor = hangFor == null ? Duration.ZERO : hangFor;
        }

        public static AtPoint crash(String point) {
            return new AtPoint(point, Action.CRASH, Duration.ZERO);
        }

        public static AtPoint hang(String point, Duration hangFor) {
            return new AtPoint(point, Action.HANG, hangFor);
        }

        @Override
        public String toString() {
            return action.name().toLowerCase() + " at " + point + (action == Action.HANG
                    ? (hangFor.isZero() ? " until cleared" : " for " + hangFor.toMillis() + " ms") : "");
        }
    }

    /**
     * Drops or delays the peer-protocol messages between this replica and {@code peer}, in the
     * given direction, until the faults are cleared.
     */
    record OnMessages(int peer, Direction direction, MessageAction action, Duration delay) implements FaultSpec {
        public OnMessages {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(action, "action");
            delay = delay == null ? Duration.ZERO : delay;
        }

        public boolean outgoing() {
            return direction != Direction.FROM;
        }

        public boolean incoming() {
            return direction != Direction.TO;
        }

        @Override
        public String toString() {
            String dir = switch (direction) {
                case TO -> "to";
                case FROM -> "from";
                case BOTH -> "to and from";
            };
            return (action == MessageAction.DROP ? "drop" : "delay by " + delay.toMillis() + " ms") + " messages " + dir
                    + " replica " + peer;
        }
    }
}
