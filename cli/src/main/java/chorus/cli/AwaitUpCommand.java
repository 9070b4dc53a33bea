package chorus.cli;

import chorus.api.config.ReplicaAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "await-up", header = "Wait until replicas answer (for scripts).", mixinStandardHelpOptions = true, description = {
    "For scripts: waits until the replicas (default: all) answer status.",
    "Prints UP replica=N after_ms=T as each answers. Exit 5 naming the replica",
    "when one does not answer within --wait-ms or its process (--pid) exits."})
final class AwaitUpCommand extends KvCommand {

    @Parameters(paramLabel = "N", arity = "0..*", description = "Replica ids (default: every replica).")
    List<Integer> ids = new ArrayList<>();

    @Option(names = "--pid", paramLabel = "N=PID", description = "Fail fast if this replica's process exits.")
    Map<Integer, Long> pids = new HashMap<>();

    @Option(names = "--wait-ms", defaultValue = "60000", paramLabel = "MS",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    long waitMs;

    private static final Duration PROBE = Duration.ofMillis(1000);
    private static final long POLL_MS = 200;

    @Override
    int run(ClusterClient client) throws CliException {
        Map<Integer, Target> pending = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            for (ReplicaAddress a : client.members()) {
                pending.put(a.id(), Target.of(a));
            }
        } else {
            for (int id : ids) {
                pending.put(id, client.member(id));
            }
        }
        long start = System.nanoTime();
        long deadline = start + Duration.ofMillis(waitMs).toNanos();
        Map<Integer, String> lastError = new HashMap<>();
        while (!pending.isEmpty()) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                try {
                    client.callWithin(e.getValue(), PROBE, c -> c.admin().status());
                    out().println("UP replica=" + e.getKey() + " after_ms=" + (System.nanoTime() - start) / 1_000_000);
                    out().flush();
                    it.remove();
                } catch (CliException ex) {
                    // A lookup that failed before the registry existed must not be reused.
                    client.forget(e.getValue());
                    lastError.put(e.getKey(), ex.getMessage());
                    Long pid = pids.get(e.getKey());
                    boolean alive = pid == null || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                    if (!alive) {
                        throw new CliException(ExitCodes.UNREACHABLE, e.getValue().label()
                                + ": process " + pid + " exited before it answered");
                    }
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                var first = pending.entrySet().iterator().next();
                throw new CliException(ExitCodes.UNREACHABLE, first.getValue().label() + ": did not answer within "
                        + waitMs + " ms (last: " + ClusterClient.stripLabel(first.getValue(),
                        lastError.getOrDefault(first.getKey(), "no answer")) + ")");
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.INTERNAL, "interrupted");
            }
        }
        return ExitCodes.OK;
    }
}
