package chorus.server.protocol;

import chorus.api.model.EventBatch;
import chorus.api.model.EventType;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;
import chorus.api.model.TxId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@code capacity} protocol events of one replica, numbered from 1, readable from a cursor
 * so that consoles can tail them. Every event also goes to the replica's log: timeouts, doubt and
 * operator actions at WARN so that they stand out, routine steps at DEBUG.
 */
public final class EventLog {

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    private static final int MAX_KEYS_PER_EVENT = 20;

    private final int replica;
    private final int capacity;
    private final LongSupplier clock;
    private final ArrayDeque<ProtocolEvent> window = new ArrayDeque<>();
    private final java.util.List<java.util.function.Consumer<ProtocolEvent>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long lastSeq;

    public EventLog(int replica, int capacity, LongSupplier clock) {
        this.replica = replica;
        this.capacity = capacity;
        this.clock = clock;
    }

    public ProtocolEvent record(Role role, EventType type, TxId txId, int peer, List<String> keys, String operation,
                                String reason, long elapsedMicros) {
        List<String> shownKeys = keys.size() <= MAX_KEYS_PER_EVENT ? keys : keys.subList(0, MAX_KEYS_PER_EVENT);
        ProtocolEvent e;
        synchronized (this) {
            e = new ProtocolEvent(++lastSeq, clock.getAsLong(), replica, role, type, txId,
                    txId == null ? 0 : txId.coordinator(), peer, shownKeys, operation, reason, elapsedMicros);
            window.addLast(e);
            if (window.size() > capacity) {
                window.removeFirst();
            }
        }
        log(e);
        for (java.util.function.Consumer<ProtocolEvent> l : listeners) {
            l.accept(e);
        }
        return e;
    }

    /**
     * Hears every event as it is recorded, on the recording thread (metrics): it must be quick and
     * must not throw.
     */
    public void listen(java.util.function.Consumer<ProtocolEvent> listener) {
        listeners.add(listener);
    }

    /** Events after {@code afterSeq}, oldest first, at most {@code max}. */
    public synchronized EventBatch after(long afterSeq, int max) {
        long oldest = window.isEmpty() ? lastSeq + 1 : window.peekFirst().seq();
        long missed = Math.max(0, oldest - afterSeq - 1);
        List<ProtocolEvent> out = new ArrayList<>(Math.min(max, window.size()));
        if (afterSeq < lastSeq) {
            // Sequence numbers are dense, so the first wanted event sits at a computable offset.
            long skip = Math.max(0, afterSeq + 1 - oldest);
            var it = window.iterator();
            for (long i = 0; i < skip && it.hasNext(); i++) {
                it.next();
            }
            while (it.hasNext() && out.size() < max) {
                out.add(it.next());
            }
        }
        long cursor = out.isEmpty() ? Math.max(afterSeq, oldest - 1) : out.get(out.size() - 1).seq();
        return new EventBatch(out, cursor, missed);
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    private static void log(ProtocolEvent e) {
        boolean notable = switch (e.type()) {
            case TIMED_OUT, IN_DOUBT, HEURISTIC_DECISION, FAILURE_ON, FAILURE_OFF, RECOVERED, UNREACHABLE, FAULT_INJECTED, FAULT_HIT,
                 FAULTS_CLEARED, ACCESS_REFUSED, REFUSED, DISK_FULL, DISK_WRITABLE, VIEW_CHANGED, VIEW_CHANGE_FAILED, LEASE -> true;
            default -> false;
        };
        if (notable) {
            LOG.warn("{} {} tx={} peer={} keys={} {} {}", e.role(), e.type(), e.txId(), e.peer(), e.keys(), e.operation(), e.reason());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} tx={} peer={} keys={} {} {}", e.role(), e.type(), e.txId(), e.peer(), e.keys(), e.operation(), e.reason());
        }
    }
}
