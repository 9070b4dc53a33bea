package chorus.api.model;

import java.io.Serializable;
import java.util.List;

/**
 * A page of a replica's event log. {@code cursor} is the sequence number to pass back next time.
 * {@code missed} counts events that were already dropped from the in-memory window before this
 * page was read (a reader that fell too far behind learns that it has a gap).
 */
public record EventBatch(List<ProtocolEvent> events, long cursor, long missed) implements Serializable {

    public EventBatch {
        events = List.copyOf(events);
    }
}
