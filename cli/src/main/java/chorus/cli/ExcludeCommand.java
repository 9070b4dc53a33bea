package chorus.cli;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "exclude", header = "Exclude a replica from the membership view, so that writes go on without it.",
        mixinStandardHelpOptions = true, description = {
    "Has a majority of the configured replicas agree a new view without replica N,",
    "proposed by the first other replica that answers. The view changes only once",
    "N's read lease has run out (a few seconds), so that N stops serving reads before",
    "anything commits without it. Writes then need every remaining member; N serves",
    "nothing until it is readmitted. A view keeps at least a majority of the",
    "configured replicas. Needs the operator token where the cluster file sets one.",
    "Prints VIEW epoch=E members=M (unchanged if N was excluded already);",
    "exit 4 when no majority agreed in time, 5 when no other replica answered."})
final class ExcludeCommand extends KvCommand {

    /** The replica caps its own work at its read timeout (15 s by default); a little more for the answer. */
    static final Duration WAIT = Duration.ofSeconds(20);

    @Parameters(index = "0", paramLabel = "N")
    int replica;

    @Override
    int run(ClusterClient client) throws CliException {
        client.member(replica); // an unknown id is a usage error, whatever the proposer would say
        List<Target> proposers = new ArrayList<>();
        if (client.connectOnly()) {
            proposers.add(client.identifiedTarget());
        } else {
            for (ReplicaAddress a : client.members()) {
                if (a.id() != replica) {
                    proposers.add(Target.of(a));
                }
            }
        }
        CliException last = null;
        for (Target t : proposers) {
            View[] agreed = new View[1];
            try {
                client.operatorCallWithin(t, WAIT, admin -> agreed[0] = admin.exclude(replica));
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE) {
                    throw e; // it answered: refused, or no majority in time
                }
                err().println("warning: " + e.getMessage() + "; asking the next replica");
                last = e;
                continue;
            }
            out().println(MembersCommand.viewLine(agreed[0]));
            return ExitCodes.OK;
        }
        throw last != null ? last : new CliException(ExitCodes.UNREACHABLE, "no replica other than " + replica + " to ask");
    }
}
