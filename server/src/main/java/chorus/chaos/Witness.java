package chorus.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Shrinks a non-linearizable key history to a small one that is still non-linearizable: first the
 * shortest prefix in time that fails (operations still running at the cut become "outcome
 * unknown", which only removes constraints, so a failing prefix is a genuine witness), then
 * greedily drops reads and refused writes (which also only remove constraints). Writes are kept,
 * since dropping one would leave a version gap that is an anomaly of the witness, not the system.
 */
public final class Witness {

    private Witness() {
    }

    public static List<KeyOp> smallest(List<KeyOp> ops, LinearizabilityChecker checker) {
        List<Long> cuts = new ArrayList<>(times(ops));
        int lo = 0;
        int hi = cuts.size() - 1;
        if (hi < 0 || !fails(prefix(ops, cuts.get(hi)), checker)) {
            return sorted(ops);
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (fails(prefix(ops, cuts.get(mid)), checker)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        List<KeyOp> witness = new ArrayList<>(prefix(ops, cuts.get(lo)));
        for (int i = witness.size() - 1; i >= 0; i--) {
            if (witness.get(i).kind() == KeyOp.Kind.WRITE) {
                continue;
            }
            KeyOp dropped = witness.remove(i);
            if (!fails(witness, checker)) {
                witness.add(i, dropped);
            }
        }
        return sorted(witness);
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

    private static boolean fails(List<KeyOp> ops, LinearizabilityChecker checker) {
        return checker.check(ops).verdict() == LinearizabilityChecker.Verdict.NOT_LINEARIZABLE;
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
