package chorus.bench.harness;

import java.util.ArrayList;
import java.util.List;

/** What the smoke check requires of a run: every workload of both systems answered, with no failed operation. */
public final class Smoke {

    private Smoke() {
    }

    /** The problems of every run; with several, each says which run it is from. */
    public static List<String> problems(List<BenchResults> runs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            String prefix = runs.size() > 1 ? "run " + (i + 1) + " of " + runs.size() + ": " : "";
            problems(runs.get(i)).forEach(p -> out.add(prefix + p));
        }
        return out;
    }

    public static List<String> problems(BenchResults r) {
        List<String> out = new ArrayList<>();
        for (SystemResults s : List.of(r.chorus(), r.zookeeper())) {
            // Inserts are retried (a cold cluster may miss a vote timeout): every record must be there in the end.
            if (s.load().operations() != r.options().records()) {
                out.add(s.system() + " load inserted " + s.load().operations() + " of " + r.options().records() + " records");
            }
            for (Workload w : r.options().workloads()) {
                for (int t : r.options().threads()) {
                    RunResult run = s.run(w, t);
                    if (run == null) {
                        out.add(s.system() + " " + w.label() + " at " + t + " threads did not run");
                    } else {
                        check(out, run);
                    }
                }
            }
        }
        return out;
    }

    private static void check(List<String> out, RunResult r) {
        String what = r.system() + " " + r.workload() + " at " + r.threads() + " threads";
        if (r.operations() == 0) {
            out.add(what + " completed no operation");
        }
        if (r.errorCount() > 0) {
            out.add(what + " had " + r.errorCount() + " failed operations; first: " + r.firstError());
        }
    }
}
