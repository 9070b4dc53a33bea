package chorus.chaos;

import chorus.api.model.AbortCause;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Everything the clients did and the nemesis injected, on one monotonic clock (nanoseconds since
 * the run started). Each operation is invoked once and completes at most once: OK (it took
 * effect), FAIL (it certainly did not) or INFO (nobody knows; it may take effect at any later time).
 * Thread-safe.
 */
public final class History {

    public enum Kind { READ, PUT, DELETE, CAS, BATCH }

    public enum Status { OK, FAIL, INFO }

    /** A completed (or, at the end, never completed) operation. */
    public record Op(int id, int client, int replica, Kind kind, String key, List<Mutation> mutations, long invoke, long complete,
                     Status status, ReadResult read, Map<String, Long> versions, AbortCause cause, String error) {

        public boolean write() {
            return kind != Kind.READ;
        }

        @Override
        public String toString() {
            String what = kind == Kind.READ ? "read " + key : mutations.toString();
            String result = switch (status) {
                case OK -> kind == Kind.READ ? "ok " + (read.found() ? "'" + read.value() + "'" : "absent") + " v" + read.version()
                        : "ok " + versions;
                case FAIL -> "fail" + (cause == null ? "" : " " + cause) + ": " + error;
                case INFO -> "unknown: " + error;
            };
            return String.format("%9.3f %9s op %-6d client %-3d replica %d %s -> %s", invoke / 1e9,
                    complete == KeyOp.UNKNOWN ? "-" : String.format("%.3f", complete / 1e9), id, client, replica, what, result);
        }
    }

    /** A fault the nemesis injected or healed. */
    public record NemesisEvent(long at, String kind, String description) {
        @Override
        public String toString() {
            return String.format("%9.3f nemesis %s: %s", at / 1e9, kind, description);
        }
    }

    private record Invocation(int client, int replica, Kind kind, String key, List<Mutation> mutations, long invoke) {
    }

    private final LongSupplier nanos;
    private final long origin;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Invocation> pending = new ConcurrentHashMap<>();
    private final List<Op> completed = new ArrayList<>();
    private final List<NemesisEvent> nemesis = new ArrayList<>();

    /** A history on the machine's monotonic clock. */
    public History() {
        this(System::nanoTime);
    }

    /** A history on {@code nanos}, a monotonic clock in nanoseconds (a simulator's, say). */
    public History(LongSupplier nanos) {
        this.nanos = nanos;
        this.origin = nanos.getAsLong();
    }

    public long now() {
        return nanos.getAsLong() - origin;
    }

    public int invokeRead(int client, int replica, String key) {
        return invoke(new Invocation(client, replica, Kind.READ, key, List.of(), now()));
    }

    public int invokeWrite(int client, int replica, Kind kind, List<Mutation> mutations) {
        return invoke(new Invocation(client, replica, kind, null, List.copyOf(mutations), now()));
    }

    private int invoke(Invocation inv) {
        int id = ids.incrementAndGet();
        pending.put(id, inv);
        return id;
    }

    public void okRead(int id, ReadResult read) {
        complete(id, Status.OK, read, Map.of(), null, null);
    }

    public void okWrite(int id, Map<String, Long> versions) {
        complete(id, Status.OK, null, versions, null, null);
    }

    public void fail(int id, AbortCause cause, String error) {
        complete(id, Status.FAIL, null, Map.of(), cause, error);
    }

    public void info(int id, String error) {
        complete(id, Status.INFO, null, Map.of(), null, error);
    }

    private void complete(int id, Status status, ReadResult read, Map<String, Long> versions, AbortCause cause, String error) {
        long t = now();
        Invocation inv = pending.remove(id);
        if (inv == null) {
            throw new IllegalStateException("operation " + id + " completed twice or never invoked");
        }
        Op op = new Op(id, inv.client, inv.replica, inv.kind, inv.key, inv.mutations, inv.invoke,
                status == Status.INFO ? KeyOp.UNKNOWN : t, status, read, versions, cause, error);
        synchronized (completed) {
            completed.add(op);
        }
    }

    public void nemesis(String kind, String description) {
        synchronized (nemesis) {
            nemesis.add(new NemesisEvent(now(), kind, description));
        }
    }

    /** Every operation by invocation; those still pending count as outcome unknown. */
    public List<Op> ops() {
        List<Op> out;
        synchronized (completed) {
            out = new ArrayList<>(completed);
        }
        pending.forEach((id, inv) -> out.add(new Op(id, inv.client, inv.replica, inv.kind, inv.key, inv.mutations, inv.invoke,
                KeyOp.UNKNOWN, Status.INFO, null, Map.of(), null, "still running when the history was taken")));
        out.sort(Comparator.comparingLong(Op::invoke).thenComparingInt(Op::id));
        return out;
    }

    public List<NemesisEvent> nemesisEvents() {
        synchronized (nemesis) {
            return List.copyOf(nemesis);
        }
    }
}
