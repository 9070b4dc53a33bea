package chorus.console.testing;

import chorus.api.model.EventType;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import java.util.List;

/** Builds protocol events the way replicas record them. */
public final class Events {

    private static long seq;

    private Events() {
    }

    public static ProtocolEvent coordinator(TxId tx, long time, EventType type, int peer, String reason, long elapsedMicros) {
        return new ProtocolEvent(++seq, time, tx.coordinator(), Role.COORDINATOR, type, tx, tx.coordinator(), peer,
                List.of("k"), "put k", reason, elapsedMicros);
    }

    public static ProtocolEvent participant(int replica, TxId tx, long time, EventType type) {
        return new ProtocolEvent(++seq, time, replica, Role.PARTICIPANT, type, tx, tx.coordinator(), replica,
                List.of("k"), "put k", "", -1);
    }
}
