package chorus.server.storage;

import chorus.server.protocol.StorageHealth;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's write health and its listeners: a failed write turns it to disk full (or failing),
 * a synced write that succeeds turns it back. Only changes are passed on, each once. Shared by the
 * RocksDB store and the simulator's, so that both report a full disk alike.
 */
public final class WriteHealth {

    private static final Logger LOG = LoggerFactory.getLogger(WriteHealth.class);

    private final LongSupplier clock;
    private final List<Consumer<StorageHealth>> listeners = new CopyOnWriteArrayList<>();
    private volatile StorageHealth current;

    public WriteHealth(LongSupplier clock) {
        this.clock = clock;
        this.current = StorageHealth.writable(clock.getAsLong());
    }

    public StorageHealth current() {
        return current;
    }

    public void listen(Consumer<StorageHealth> listener) {
        listeners.add(listener);
    }

    /** A write failed with {@code message} (the engine's words); true if this began a failure. */
    public boolean failed(String message) {
        StorageHealth.State state = isNoSpace(message) ? StorageHealth.State.DISK_FULL : StorageHealth.State.WRITES_FAILING;
        StorageHealth next;
        synchronized (this) {
            if (!current.writable()) {
                return false;
            }
            next = new StorageHealth(state, message, clock.getAsLong());
            current = next;
            LOG.error("storage {}: {}; votes NO until a write succeeds again", state.label(), message);
            // Inside the lock, so that listeners hear failure and recovery in the order they happened.
            tell(next);
        }
        return true;
    }

    /** A synced write succeeded: if writes had failed, they work again. */
    public void succeeded() {
        if (current.writable()) {
            return; // the common case: one volatile read per synced write
        }
        StorageHealth next;
        synchronized (this) {
            if (current.writable()) {
                return;
            }
            next = StorageHealth.writable(clock.getAsLong());
            LOG.warn("storage writable again after {} ms ({})", next.sinceMillis() - current.sinceMillis(), current.note());
            current = next;
            tell(next);
        }
    }

    private void tell(StorageHealth health) {
        for (Consumer<StorageHealth> l : listeners) {
            try {
                l.accept(health);
            } catch (RuntimeException e) {
                LOG.warn("a listener of storage health failed: {}", e.toString());
            }
        }
    }

    /**
     * A failed write's message as callers see it: prefixed with the current failure ("disk full:
     * ..."), and followed by the first failure's own words when these differ, since once the disk
     * filled up, later writes fail with words that no longer say why ("Writer has previous error").
     */
    public String describe(String message) {
        StorageHealth h = current;
        if (h.writable()) {
            return message;
        }
        String described = h.state().label() + ": " + message;
        return message.contains(h.cause()) ? described : described + " (first failure: " + h.cause() + ")";
    }

    /** ENOSPC as RocksDB words it; also a quota (EDQUOT) counts: more space ends it just the same. */
    public static boolean isNoSpace(String message) {
        return message != null && (message.contains("No space left on device") || message.contains("NoSpace")
                || message.contains("Disk quota exceeded"));
    }
}
