package chorus.chaos;

import chorus.api.model.AbortCause;
import chorus.api.model.KeyEntry;
import chorus.api.model.Mutation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks of a finished chaos run over its history and the replicas' final contents:
 * linearizability key by key, no acknowledged write lost, no aborted write visible, identical
 * replicas. (Nothing in doubt or locked is checked against the live replicas by the runner.)
 */
public final class HistoryChecks {

    private final List<History.Op> ops;
    private final List<String> keys;
    private final LinearizabilityChecker checker;
    private long configurations;
    private int gaveUp;

    public HistoryChecks(List<History.Op> ops, List<String> keys, long budget) {
        this.ops = ops;
        this.keys = keys;
        this.checker = new LinearizabilityChecker(budget);
    }

    public long configurations() {
        return configurations;
    }

    public int keysGivenUp() {
        return gaveUp;
    }

    /** Projects the history on {@code key}: each operation's effect on that key only. */
    List<KeyOp> project(String key) {
        List<KeyOp> out = new ArrayList<>();
        for (History.Op op : ops) {
            if (op.kind() == History.Kind.READ) {
                if (op.status() == History.Status.OK && op.key().equals(key)) {
                    out.add(KeyOp.read(op.id(), op.client(), op.read().found(), op.read().value(), op.read().version(),
                            op.invoke(), op.complete()));
                }
                continue;
            }
            for (Mutation m : op.mutations()) {
                if (!m.key().equals(key)) {
                    continue;
                }
                switch (op.status()) {
                    case OK -> out.add(write(op, m, op.versions().get(key), op.complete()));
                    case INFO -> out.add(write(op, m, -1, KeyOp.UNKNOWN));
                    case FAIL -> {
                        // A refused single conditional write says the version differed at some moment.
                        if (op.cause() == AbortCause.VERSION_MISMATCH && op.mutations().size() == 1) {
                            out.add(KeyOp.mismatch(op.id(), op.client(), m.expectedVersion(), op.invoke(), op.complete()));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static KeyOp write(History.Op op, Mutation m, long version, long complete) {
        return m instanceof Mutation.Put p
                ? KeyOp.put(op.id(), op.client(), p.value(), m.expectedVersion(), version, op.invoke(), complete)
                : KeyOp.delete(op.id(), op.client(), m.expectedVersion(), version, op.invoke(), complete);
    }

    public List<Anomaly> linearizability() {
        List<Anomaly> out = new ArrayList<>();
        for (String key : keys) {
            List<KeyOp> history = project(key);
            LinearizabilityChecker.Result r = checker.check(history);
            configurations += r.configurations();
            if (r.verdict() == LinearizabilityChecker.Verdict.GAVE_UP) {
                gaveUp++;
                out.add(new Anomaly("linearizability", "key '" + key + "': the search gave up after " + r.configurations()
                        + " configurations (" + history.size() + " operations); no verdict", List.of()));
            } else if (r.verdict() == LinearizabilityChecker.Verdict.NOT_LINEARIZABLE) {
                Witness.Result witness = Witness.shrink(history, checker);
                out.add(new Anomaly("linearizability", "key '" + key + "' is not linearizable (" + history.size()
                        + " operations); smallest failing history, " + witness.ops().size() + " operations:", witness.lines()));
            }
        }
        return out;
    }

    /**
     * Acknowledged writes survive (every replica ends at or past the highest acknowledged version,
     * and every read of an acknowledged version shows that write's value) and aborted writes are
     * never visible (no read and no replica shows a value whose write was aborted).
     */
    public List<Anomaly> durabilityAndAtomicity(Map<Integer, Map<String, KeyEntry>> finalContents) {
        List<Anomaly> out = new ArrayList<>();
        Map<String, Map<Long, History.Op>> acked = new HashMap<>();
        Map<String, Map<String, History.Op>> aborted = new HashMap<>();
        for (History.Op op : ops) {
            if (!op.write()) {
                continue;
            }
            for (Mutation m : op.mutations()) {
                if (op.status() == History.Status.OK) {
                    acked.computeIfAbsent(m.key(), k -> new TreeMap<>()).put(op.versions().get(m.key()), op);
                } else if (op.status() == History.Status.FAIL && m instanceof Mutation.Put p) {
                    aborted.computeIfAbsent(m.key(), k -> new HashMap<>()).put(p.value(), op);
                }
            }
        }
        for (History.Op op : ops) {
            if (op.kind() != History.Kind.READ || op.status() != History.Status.OK) {
                continue;
            }
            String key = op.key();
            History.Op bad = op.read().found() ? aborted.getOrDefault(key, Map.of()).get(op.read().value()) : null;
            if (bad != null) {
                out.add(new Anomaly("aborted write visible", "read op " + op.id() + " saw '" + op.read().value() + "' of key '" + key
                        + "', written by op " + bad.id() + " which was aborted", List.of(bad.toString(), op.toString())));
            }
            History.Op writer = acked.getOrDefault(key, Map.of()).get(op.read().version());
            if (writer != null && !Objects.equals(valueWritten(writer, key), op.read().found() ? op.read().value() : null)) {
                out.add(new Anomaly("acknowledged write lost", "read op " + op.id() + " saw version " + op.read().version() + " of key '"
                        + key + "' with another value than the acknowledged write of that version",
                        List.of(writer.toString(), op.toString())));
            }
        }
        for (var replica : finalContents.entrySet()) {
            for (String key : keys) {
                KeyEntry e = replica.getValue().get(key);
                long version = e == null ? 0 : e.version();
                Map<Long, History.Op> byVersion = acked.getOrDefault(key, Map.of());
                long highest = byVersion.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
                if (version < highest) {
                    out.add(new Anomaly("acknowledged write lost", "replica " + replica.getKey() + " ends with key '" + key + "' at version "
                            + version + " but version " + highest + " was acknowledged", List.of(byVersion.get(highest).toString())));
                }
                History.Op bad = e == null || e.value() == null ? null : aborted.getOrDefault(key, Map.of()).get(e.value());
                if (bad != null) {
                    out.add(new Anomaly("aborted write visible", "replica " + replica.getKey() + " ends with key '" + key + "' = '"
                            + e.value() + "', written by an aborted operation", List.of(bad.toString())));
                }
            }
        }
        return out;
    }

    private static String valueWritten(History.Op op, String key) {
        for (Mutation m : op.mutations()) {
            if (m.key().equals(key)) {
                return m instanceof Mutation.Put p ? p.value() : null;
            }
        }
        return null;
    }

    /** Every replica ends with the same keys, values and versions. */
    public static List<Anomaly> identical(Map<Integer, Map<String, KeyEntry>> finalContents) {
        List<Anomaly> out = new ArrayList<>();
        Set<String> allKeys = new HashSet<>();
        finalContents.values().forEach(m -> allKeys.addAll(m.keySet()));
        for (String key : new java.util.TreeSet<>(allKeys)) {
            Map<String, List<Integer>> shapes = new TreeMap<>();
            for (var replica : finalContents.entrySet()) {
                KeyEntry e = replica.getValue().get(key);
                String shape = e == null ? "missing" : (e.value() == null ? "absent" : "'" + e.value() + "'") + " v" + e.version();
                shapes.computeIfAbsent(shape, s -> new ArrayList<>()).add(replica.getKey());
            }
            if (shapes.size() > 1) {
                List<String> lines = new ArrayList<>();
                shapes.forEach((shape, replicas) -> lines.add("replicas " + replicas + ": " + shape));
                out.add(new Anomaly("replicas differ", "key '" + key + "' differs between replicas", lines));
            }
        }
        return out;
    }
}
