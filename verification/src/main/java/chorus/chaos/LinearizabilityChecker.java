package chorus.chaos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether one key's history is linearizable with respect to a versioned register, by the
 * Wing-Gong-Lowe search as Porcupine implements it: walk the time-ordered list of call and return
 * entries, tentatively linearize any operation whose call is reached, backtrack at the first return
 * of an operation not yet linearized, and never revisit a (linearized set, state) pair. An operation
 * whose outcome is unknown has no return entry: it may be linearized anywhere after its call, or
 * never. The search is bounded by a budget of visited configurations.
 *
 * <p>One pruning specific to versioned registers keeps unknown outcomes cheap: versions only grow,
 * so a configuration whose version already exceeds the version some answered, not yet linearized
 * operation needs (a read's version, or a write's result minus one) can never succeed. Without
 * it, every subset of unanswered writes would be tried in every gap.
 */
public final class LinearizabilityChecker {

    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, GAVE_UP }

    public record Result(Verdict verdict, long configurations) {
        public boolean ok() {
            return verdict == Verdict.LINEARIZABLE;
        }
    }

    private final long budget;

    public LinearizabilityChecker(long budget) {
        this.budget = budget;
    }

    public Result check(List<KeyOp> ops) {
        return check(ops, RegisterState.INITIAL);
    }

    Result check(List<KeyOp> ops, RegisterState initial) {
        Entry head = link(ops);
        int pendingReturns = 0;
        for (Entry e = head.next; e != null; e = e.next) {
            if (!e.call) {
                pendingReturns++;
            }
        }
        Set<Config> seen = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        BitSet linearized = new BitSet(ops.size());
        RegisterState state = initial;
        java.util.TreeMap<Long, Integer> needed = new java.util.TreeMap<>();
        for (KeyOp op : ops) {
            if (!op.unknown() && needs(op) >= 0) {
                needed.merge(needs(op), 1, Integer::sum);
            }
        }
        Entry e = head.next;
        while (true) {
            if (pendingReturns == 0) {
                return new Result(Verdict.LINEARIZABLE, seen.size());
            }
            if (seen.size() > budget) {
                return new Result(Verdict.GAVE_UP, seen.size());
            }
            if (e != null && e.call) {
                KeyOp op = ops.get(e.op);
                RegisterState next = state.step(op);
                long need = op.unknown() ? -1 : needs(op);
                if (need >= 0) {
                    drop(needed, need);
                }
                if (next != null && !needed.isEmpty() && next.version() > needed.firstKey()) {
                    next = null;
                }
                if (need >= 0 && next == null) {
                    needed.merge(need, 1, Integer::sum);
                }
                if (next != null) {
                    BitSet with = (BitSet) linearized.clone();
                    with.set(e.op);
                    if (!seen.add(new Config(with, next))) {
                        if (need >= 0) {
                            needed.merge(need, 1, Integer::sum);
                        }
                    } else {
                        stack.push(new Frame(e, state, linearized));
                        state = next;
                        linearized = with;
                        e.lift();
                        if (e.match != null) {
                            pendingReturns--;
                        }
                        e = head.next;
                        continue;
                    }
                }
                e = e.next;
                continue;
            }
            // A return of an operation not linearized yet (or the end of the list): undo the last choice.
            if (stack.isEmpty()) {
                return new Result(Verdict.NOT_LINEARIZABLE, seen.size());
            }
            Frame f = stack.pop();
            state = f.state;
            linearized = f.linearized;
            f.entry.unlift();
            if (f.entry.match != null) {
                pendingReturns++;
                long need = needs(ops.get(f.entry.op));
                if (need >= 0) {
                    needed.merge(need, 1, Integer::sum);
                }
            }
            e = f.entry.next;
        }
    }

    /** The version an answered operation needs the register to have just before it; -1 for none. */
    private static long needs(KeyOp op) {
        return switch (op.kind()) {
            case READ -> op.version();
            case WRITE -> op.version() >= 0 ? op.version() - 1 : -1;
            case MISMATCH -> -1;
        };
    }

    private static void drop(java.util.TreeMap<Long, Integer> multiset, long v) {
        multiset.computeIfPresent(v, (k, n) -> n == 1 ? null : n - 1);
    }

    private record Config(BitSet linearized, RegisterState state) {
    }

    private record Frame(Entry entry, RegisterState state, BitSet linearized) {
    }

    private static final class Entry {
        final int op;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }

        /** Removes this call entry and its return entry from the list (dancing links). */
        void lift() {
            remove(this);
            if (match != null) {
                remove(match);
            }
        }

        void unlift() {
            if (match != null) {
                restore(match);
            }
            restore(this);
        }

        private static void remove(Entry x) {
            x.prev.next = x.next;
            if (x.next != null) {
                x.next.prev = x.prev;
            }
        }

        private static void restore(Entry x) {
            x.prev.next = x;
            if (x.next != null) {
                x.next.prev = x;
            }
        }
    }

    /** The sentinel head of a list of every call and return, by time; at equal times calls come first. */
    private static Entry link(List<KeyOp> ops) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            KeyOp op = ops.get(i);
            if (!op.unknown() && op.complete() < op.invoke()) {
                throw new IllegalArgumentException("operation completes before it starts: " + op);
            }
            Entry call = new Entry(i, true, op.invoke());
            entries.add(call);
            if (!op.unknown()) {
                call.match = new Entry(i, false, op.complete());
                entries.add(call.match);
            }
        }
        entries.sort(Comparator.comparingLong((Entry x) -> x.time).thenComparing(x -> !x.call));
        Entry head = new Entry(-1, true, Long.MIN_VALUE);
        Entry last = head;
        for (Entry x : entries) {
            last.next = x;
            x.prev = last;
            last = x;
        }
        return head;
    }
}
