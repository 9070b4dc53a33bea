package chorus.cli;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.ReplicaStatus;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "status", header = "Table of all replicas of the cluster.", mixinStandardHelpOptions = true, description = {
    "Prints a table with one row per replica of the cluster:",
    "ID ADDRESS STATE KEYS IN_FLIGHT IN_DOUBT COMMITS ABORTS TIMEOUTS UPTIME NOTE.",
    "STATE is up, down or FAILED(simulated). A down replica (no answer within",
    "--timeout-ms) shows - in its counters and the reason in NOTE, the only",
    "column that may contain spaces. Exit 0 even when replicas are down.",
    "With --connect: that replica's row only, and exit 5 when it does not answer."})
final class StatusCommand extends KvCommand {

    @Override
    int run(ClusterClient client) throws CliException {
        List<ReplicaProbe> probes;
        if (client.connectOnly()) {
            // The one replica asked for: its failure is the command's, not a "down" row.
            Target t = client.target();
            ReplicaStatus s = client.callWithin(t, client.adminWait(), c -> c.admin().status());
            ReplicaAddress a = t.id().isPresent() ? t.address() : new ReplicaAddress(s.id(), t.address().host(), t.address().port());
            probes = List.of(ReplicaProbe.up(a, s));
        } else {
            probes = client.probeAll(client.members());
        }
        Formats.statusTable(probes).forEach(out()::println);
        return ExitCodes.OK;
    }
}
