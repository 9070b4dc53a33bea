package chorus.sim;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import chorus.server.protocol.CommitRecord;
import chorus.server.protocol.MemoryChangeLog;
import chorus.server.protocol.StorageException;
import chorus.server.protocol.PreparedRecord;
import chorus.server.protocol.StoredValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One replica's disk in the simulated world: a log of write batches, of which only those synced
 * survive a crash for certain. A crash keeps the synced prefix and a random number of the whole
 * batches written after it (a write-ahead log torn at a batch boundary), and loses the rest.
 *
 * <p>The disk can be full: then a write fails and leaves nothing (RocksDB applies a batch only
 * once it is in the log; a torn record is dropped when the log is read), and so does a sync of
 * writes not yet synced, which stay unsynced. Once space returns, both work again.
 */
final class SimDisk {

    /**
     * What the disk holds: the data, the change log, the protocol's records, and the incarnation
     * counter. The change log is numbered by the batches themselves, so the synced image, replaying
     * them, numbers them alike, and a crash loses a change exactly when it loses its write.
     */
    static final class Image {
        final TreeMap<String, StoredValue> data = new TreeMap<>();
        MemoryChangeLog changes = new MemoryChangeLog();
        final TreeMap<TxId, PreparedRecord> prepared = new TreeMap<>();
        final TreeMap<TxId, CommitRecord> commits = new TreeMap<>();
        final LinkedHashMap<TxId, Outcome> outcomes = new LinkedHashMap<>();
        long incarnation;
        /** The replica's own small records (the membership acceptor's state), immutable byte arrays. */
        final TreeMap<String, byte[]> meta = new TreeMap<>();

        Image copy() {
            Image c = new Image();
            c.data.putAll(data);
            c.changes = changes.copy();
            c.prepared.putAll(prepared);
            c.commits.putAll(commits);
            c.outcomes.putAll(outcomes);
            c.incarnation = incarnation;
            c.meta.putAll(meta);
            return c;
        }
    }

    record Outcome(Decision decision, long atMillis) {
    }

    private Image durable = new Image();
    private Image live = new Image();
    private final List<Consumer<Image>> unsynced = new ArrayList<>();
    private long written;
    private long synced;
    private boolean full;

    /** Space runs out ({@code true}) or returns ({@code false}). */
    void setFull(boolean full) {
        this.full = full;
    }

    boolean full() {
        return full;
    }

    private void checkSpace(String what) {
        if (full) {
            throw new StorageException(what + " on the simulated disk failed: No space left on device");
        }
    }

    Image live() {
        return live;
    }

    /** Appends one atomic batch; durable when {@code sync} (with every batch before it). */
    void write(Consumer<Image> batch, boolean sync) {
        checkSpace("a write");
        batch.accept(live);
        unsynced.add(batch);
        written++;
        if (sync) {
            sync();
        }
    }

    void sync() {
        if (!unsynced.isEmpty()) {
            checkSpace("a sync");
        }
        for (Consumer<Image> b : unsynced) {
            b.accept(durable);
        }
        unsynced.clear();
        synced = written;
    }

    long written() {
        return written;
    }

    long synced() {
        return synced;
    }

    /** A power loss: keeps the synced state and a random prefix of the later batches; says what it kept. */
    String crash(SplittableRandom random) {
        int n = unsynced.size();
        int kept = n == 0 ? 0 : random.nextInt(n + 1);
        for (Consumer<Image> b : unsynced.subList(0, kept)) {
            b.accept(durable);
        }
        unsynced.clear();
        live = durable.copy();
        written = synced = synced + kept;
        return n == 0 ? "nothing unsynced" : "kept " + kept + " of " + n + " unsynced writes";
    }

    Map<String, StoredValue> data() {
        return live.data;
    }
}
