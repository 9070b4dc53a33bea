package chorus.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Shrinks a non-linearizable key history to a small one that is still non-linearizable, each step
 * keeping the set of valid linearizations or removing constraints, so that what is left is a
 * genuine witness, not an artefact of the shrinking:
 *
 * <ol>
 *   <li>the shortest prefix in time that fails (operations still running at the cut become
 *       "outcome unknown");</li>
 *   <li>an unknown write whose value a read returned did happen, before that read, at the version
 *       the read saw: it becomes a known write ending with that read;</li>
 *   <li>the latest quiet moment (no operation running across it, none unknown before it) after
 *       which the rest still fails from the state every earlier linearization ends in: the
 *       operations before it become that starting state;</li>
 *   <li>reads and refused writes that the contradiction does not need are dropped.</li>
 * </ol>
 * Writes are otherwise kept: dropping one would leave a version gap that is an anomaly of the
 * witness, not of the system.
 */
public final class Witness {

    /** The witness: a starting state (and the operation that left it, if any) and the operations after it. */
    public record Result(RegisterState start, KeyOp startedBy, List<KeyOp> ops) {

        public List<String> lines() {
            List<String> out = new ArrayList<>();
            if (startedBy != null) {
                out.add("before these, the key was " + start + " (the earlier operations are linearizable and all end there; last: op "
                        + startedBy.id() + ")");
            }
            ops.forEach(op -> out.add(op.toString()));
            return out;
        }
    }

    private static final int MAX_CUT_ATTEMPTS = 300;

    private Witness() {
    }

    public static List<KeyOp> smallest(List<KeyOp> ops, LinearizabilityChecker checker) {
        return shrink(ops, checker).ops();
    }

    public static Result shrink(List<KeyOp> ops, LinearizabilityChecker checker) {
        List<Long> cuts = new ArrayList<>(times(ops));
        if (cuts.isEmpty() || !fails(prefix(ops, cuts.get(cuts.size() - 1)), RegisterState.INITIAL, checker)) {
            return new Result(RegisterState.INITIAL, null, sorted(ops));
        }
        int lo = 0;
        int hi = cuts.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (fails(prefix(ops, cuts.get(mid)), RegisterState.INITIAL, checker)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        List<KeyOp> witness = sorted(resolveObserved(prefix(ops, cuts.get(lo))));
        RegisterState start = RegisterState.INITIAL;
        KeyOp startedBy = null;
        int attempts = 0;
        for (int i = witness.size() - 1; i > 0 && attempts < MAX_CUT_ATTEMPTS; i--) {
            if (!quietBefore(witness, i)) {
                continue;
            }
            attempts++;
            List<KeyOp> before = witness.subList(0, i);
            KeyOp last = lastWrite(before);
            RegisterState at = last == null ? RegisterState.INITIAL : new RegisterState(last.present(), last.value(), last.version());
            List<KeyOp> after = new ArrayList<>(witness.subList(i, witness.size()));
            if (fails(after, at, checker)) {
                start = at;
                startedBy = before.get(before.size() - 1);
                witness = after;
                break;
            }
        }
        for (int i = witness.size() - 1; i >= 0; i--) {
            if (witness.get(i).kind() == KeyOp.Kind.WRITE) {
                continue;
            }
            KeyOp dropped = witness.remove(i);
            if (!fails(witness, start, checker)) {
                witness.add(i, dropped);
            }
        }
        return new Result(start, startedBy, sorted(witness));
    }

    /** The history as it stood at time {@code cut}. */
    static List<KeyOp> prefix(List<KeyOp> ops, long cut) {
        List<KeyOp> out = new ArrayList<>();
        for (KeyOp op : ops) {
            if (op.invoke() > cut) {
                continue;
            }
            if (op.unknown() || op.complete() <= cut) {
                out.add(op);
            } else if (op.kind() == KeyOp.Kind.WRITE) {
                out.add(op.asUnknown());
            }
        }
        return out;
    }

    /**
     * Unknown puts whose value was read: they took effect before the first such read returned, at
     * the version it saw (values are unique per key). The valid linearizations stay the same.
     */
    static List<KeyOp> resolveObserved(List<KeyOp> ops) {
        List<KeyOp> out = new ArrayList<>(ops.size());
        for (KeyOp op : ops) {
            KeyOp seen = null;
            if (op.unknown() && op.kind() == KeyOp.Kind.WRITE && op.present()) {
                for (KeyOp r : ops) {
                    if (r.kind() == KeyOp.Kind.READ && r.present() && r.value().equals(op.value())
                            && (seen == null || r.complete() < seen.complete())) {
                        seen = r;
                    }
                }
            }
            out.add(seen == null || seen.complete() < op.invoke() ? op
                    : new KeyOp(op.id(), op.client(), op.kind(), true, op.value(), op.expected(), seen.version(), op.invoke(),
                            seen.complete()));
        }
        return out;
    }

    /** True if every operation before index {@code i} (by invocation) is known and over before operation i starts. */
    private static boolean quietBefore(List<KeyOp> ops, int i) {
        long t = ops.get(i).invoke();
        for (int j = 0; j < i; j++) {
            KeyOp op = ops.get(j);
            if (op.unknown() || op.complete() >= t) {
                return false;
            }
        }
        return true;
    }

    /** The write every linearization of {@code ops} (all known) ends with: the one of the highest version. */
    private static KeyOp lastWrite(List<KeyOp> ops) {
        return ops.stream().filter(o -> o.kind() == KeyOp.Kind.WRITE).max(Comparator.comparingLong(KeyOp::version)).orElse(null);
    }

    private static boolean fails(List<KeyOp> ops, RegisterState start, LinearizabilityChecker checker) {
        return checker.check(ops, start).verdict() == LinearizabilityChecker.Verdict.NOT_LINEARIZABLE;
    }

    private static TreeSet<Long> times(List<KeyOp> ops) {
        TreeSet<Long> t = new TreeSet<>();
        for (KeyOp op : ops) {
            t.add(op.invoke());
            if (!op.unknown()) {
                t.add(op.complete());
            }
        }
        return t;
    }

    private static List<KeyOp> sorted(List<KeyOp> ops) {
        List<KeyOp> out = new ArrayList<>(ops);
        out.sort(Comparator.comparingLong(KeyOp::invoke).thenComparingInt(KeyOp::id));
        return out;
    }
}
