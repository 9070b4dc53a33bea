package chorus.bench.harness;

import java.util.List;
import java.util.Map;

/** Everything measured against one system: its load phase, every workload run, and its processes' resident memory. */
public record SystemResults(String system, RunResult load, List<RunResult> runs, Map<Integer, Double> residentMB) {

    public RunResult run(Workload workload, int threads) {
        return runs.stream().filter(r -> r.workload().equals(workload.label()) && r.threads() == threads).findFirst()
                .orElse(null);
    }
}
