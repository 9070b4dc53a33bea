package chorus.cli;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.EventBatch;
import chorus.api.model.ProtocolEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", header = "Protocol events of a replica (or all), optionally followed.", mixinStandardHelpOptions = true, description = {
    "Prints protocol events, one per line, tab-separated:",
    "SEQ TIME REPLICA ROLE TYPE TX PEER KEYS/OP REASON ELAPSED_MS",
    "(- for an empty field, TIME in UTC, ELAPSED_MS with 3 decimals).",
    "\"# missed N events on replica R\" tells of events dropped before reading.",
    "With --follow, polls every --interval-ms until Ctrl-C; an unreachable",
    "replica is reported on stderr and polled again, a restarted one is read",
    "from its first event again."})
final class EventsCommand extends KvCommand {

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Option(names = "--all", description = "Events of every replica of the cluster, ordered by time within each poll.")
    boolean all;

    @Option(names = "--after", defaultValue = "0", paramLabel = "SEQ",
            description = "Start after this sequence number (default: ${DEFAULT-VALUE}, from the oldest held).")
    long after;

    @Option(names = "--interval-ms", defaultValue = "500", paramLabel = "MS",
            description = "Poll interval with --follow, 50..10000 (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    private static final int PAGE = 1000;

    @Override
    void validate() throws CliException {
        if (intervalMs < 50 || intervalMs > 10_000) {
            throw CliException.usage("--interval-ms must be 50..10000, was " + intervalMs);
        }
        if (after < 0) {
            throw CliException.usage("--after must not be negative, was " + after);
        }
    }

    @Override
    int run(ClusterClient client) throws CliException {
        List<Target> targets = new ArrayList<>();
        if (all) {
            for (ReplicaAddress a : client.members()) {
                targets.add(Target.of(a));
            }
        } else {
            targets.add(client.target());
        }
        Map<Target, Long> cursors = new HashMap<>();
        targets.forEach(t -> cursors.put(t, after));
        Set<Target> unreachable = new HashSet<>();
        Map<Target, Long> started = new HashMap<>();
        boolean headed = false;
        while (true) {
            List<ProtocolEvent> events = new ArrayList<>();
            for (Target t : targets) {
                try {
                    if (follow && (unreachable.contains(t) || !started.containsKey(t))) {
                        noticeRestart(client, t, cursors, started);
                    }
                    drain(client, t, cursors, events);
                    if (unreachable.remove(t)) {
                        err().println("note: " + t.label() + " answers again");
                    }
                } catch (CliException e) {
                    if (!follow && !all) {
                        throw e;
                    }
                    if (unreachable.add(t)) {
                        err().println("warning: " + e.getMessage());
                    }
                    client.forget(t);
                }
            }
            events.sort(Comparator.comparingLong(ProtocolEvent::timeMillis)
                    .thenComparingInt(ProtocolEvent::replica).thenComparingLong(ProtocolEvent::seq));
            if (!headed && unreachable.size() < targets.size()) {
                out().println(Formats.EVENTS_HEADER);
                headed = true;
            }
            events.forEach(e -> out().println(Formats.event(e)));
            out().flush();
            err().flush();
            if (!follow) {
                if (unreachable.size() == targets.size()) {
                    throw new CliException(ExitCodes.UNREACHABLE, "no replica could be read");
                }
                return ExitCodes.OK;
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.OK;
            }
        }
    }

    /**
     * Event sequence numbers live in the replica's memory and start again at 1 when it restarts:
     * a follower that kept its old cursor would skip the new events, so a changed start time
     * resets the cursor.
     */
    private void noticeRestart(ClusterClient client, Target t, Map<Target, Long> cursors, Map<Target, Long> started)
            throws CliException {
        long startedAt = client.callWithin(t, client.adminWait(), c -> c.admin().status()).startedAtMillis();
        Long before = started.put(t, startedAt);
        if (before != null && before != startedAt) {
            out().println("# " + t.label() + " restarted; its events are numbered from 1 again");
            cursors.put(t, 0L);
        }
    }

    /** Reads everything after the cursor of {@code t} (page by page), noting missed events. */
    private void drain(ClusterClient client, Target t, Map<Target, Long> cursors, List<ProtocolEvent> sink)
            throws CliException {
        while (true) {
            long from = cursors.get(t);
            EventBatch b = client.callWithin(t, client.adminWait(), c -> c.admin().events(from, PAGE));
            if (b.missed() > 0) {
                out().println("# missed " + b.missed() + " events on " + t.label());
            }
            sink.addAll(b.events());
            cursors.put(t, Math.max(from, b.cursor()));
            if (b.events().size() < PAGE || b.cursor() <= from) {
                return;
            }
        }
    }
}
