package chorus.cli;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.ContentsPage;
import chorus.api.model.KeyEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dump", header = "Every key with each replica's value and version.", mixinStandardHelpOptions = true, description = {
    "Prints every key of every replica, paging through their contents.",
    "Side by side (default): a header KEY<TAB>r1<TAB>...<TAB>AGREE, then per key",
    "one cell per replica and AGREE = same | DIFFER. A cell is VERSION:VALUE,",
    "VERSION deleted (a tombstone), either prefixed [TX] while TX holds the key",
    "prepared, - (the replica does not hold the key) or ? (replica unreadable).",
    "With --per-replica: REPLICA<TAB>KEY<TAB>VERSION<TAB>VALUE<TAB>PENDING rows.",
    "Lines starting with # are comments; unreadable replicas are named on",
    "stderr. Exit 5 only when no replica could be read.",
    "With --connect: that replica only, and exit 5 when it cannot be read."})
final class DumpCommand extends KvCommand {

    @Option(names = "--per-replica", description = "List each replica's contents in turn instead of side by side.")
    boolean perReplica;

    @Option(names = "--page-size", defaultValue = "1000", paramLabel = "N",
            description = "Entries per contents call, 1..10000 (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Override
    void validate() throws CliException {
        if (pageSize < 1 || pageSize > chorus.api.ReplicaAdmin.MAX_PAGE) {
            throw CliException.usage("--page-size must be 1.." + chorus.api.ReplicaAdmin.MAX_PAGE + ", was " + pageSize);
        }
    }

    @Override
    int run(ClusterClient client) throws CliException {
        List<ReplicaAddress> members = client.inspected();
        List<Integer> ids = members.stream().map(ReplicaAddress::id).toList();
        int readable = 0;
        if (perReplica) {
            out().println(Formats.PER_REPLICA_HEADER);
            for (ReplicaAddress a : members) {
                long[] count = {0};
                if (read(client, a, e -> {
                    out().println(Formats.perReplicaRow(a.id(), e));
                    count[0]++;
                })) {
                    readable++;
                    out().println("# replica " + a.id() + ": " + count[0] + " keys");
                }
            }
        } else {
            Map<String, Map<Integer, KeyEntry>> keys = new TreeMap<>();
            List<Integer> read = new ArrayList<>();
            for (ReplicaAddress a : members) {
                if (read(client, a, e -> keys.computeIfAbsent(e.key(), k -> new HashMap<>()).put(a.id(), e))) {
                    read.add(a.id());
                }
            }
            readable = read.size();
            out().println(Formats.sideBySideHeader(ids));
            int differ = 0;
            for (Map.Entry<String, Map<Integer, KeyEntry>> k : keys.entrySet()) {
                Map<Integer, KeyEntry> row = new HashMap<>();
                for (int id : read) {
                    row.put(id, k.getValue().get(id));
                }
                String line = Formats.sideBySideRow(k.getKey(), ids, row);
                if (line.endsWith("\tDIFFER")) {
                    differ++;
                }
                out().println(line);
            }
            out().println("# keys=" + keys.size() + " differ=" + differ + " unreadable=" + (members.size() - readable));
        }
        if (readable == 0) {
            throw new CliException(ExitCodes.UNREACHABLE, "no replica could be read");
        }
        return ExitCodes.OK;
    }

    /**
     * Pages through one replica; false (with a warning) if it could not be read to the end, or,
     * with {@code --connect}, the failure itself.
     */
    private boolean read(ClusterClient client, ReplicaAddress a, Consumer<KeyEntry> sink) throws CliException {
        Target t = Target.of(a);
        String after = "";
        List<KeyEntry> buffered = new ArrayList<>();
        try {
            while (true) {
                String from = after;
                ContentsPage page = client.callWithin(t, client.adminWait(), c -> c.admin().contents(from, pageSize));
                buffered.addAll(page.entries());
                String next = page.nextAfterKey();
                // A replica that hands back the same cursor would loop forever: stop at the first repeat.
                if (next == null || next.equals(after) || page.entries().isEmpty()) {
                    break;
                }
                after = next;
            }
        } catch (CliException e) {
            if (client.connectOnly()) {
                throw e; // the one replica asked for
            }
            err().println("warning: " + e.getMessage());
            return false;
        }
        // Only whole replicas are printed, so that a replica failing on page 3 is not half listed.
        buffered.forEach(sink);
        return true;
    }
}
