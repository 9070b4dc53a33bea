package chorus.cli;

import picocli.CommandLine.Command;

@Command(name = "status", header = "Table of all replicas of the cluster.", mixinStandardHelpOptions = true, description = {
    "Prints a table with one row per replica of the cluster:",
    "ID ADDRESS STATE KEYS IN_FLIGHT IN_DOUBT COMMITS ABORTS TIMEOUTS UPTIME NOTE.",
    "STATE is up, down or FAILED(simulated). A down replica (no answer within",
    "--timeout-ms) shows - in its counters and the reason in NOTE, the only",
    "column that may contain spaces. Exit 0 even when replicas are down."})
final class StatusCommand extends KvCommand {

    @Override
    int run(ClusterClient client) throws CliException {
        Formats.statusTable(client.probeAll(client.members())).forEach(out()::println);
        return ExitCodes.OK;
    }
}
