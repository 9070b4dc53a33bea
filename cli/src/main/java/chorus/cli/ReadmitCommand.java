package chorus.cli;

import chorus.api.model.View;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "readmit", header = "Readmit an excluded replica once it has copied the data from a member.",
        mixinStandardHelpOptions = true, description = {
    "Asks replica N itself, which must be running: an excluded replica copies the",
    "data from a member in the background (a learner; kv members shows its",
    "progress). Once it has caught up, a majority agrees a view with it, and it",
    "applies the last commits of the epoch before; then it votes and serves reads.",
    "Needs the operator token where the cluster file sets one.",
    "Prints VIEW epoch=E members=M (unchanged if N is a member already);",
    "exit 4 when it has not caught up or no majority agreed in time (ask again),",
    "5 when replica N does not answer."})
final class ReadmitCommand extends KvCommand {

    /** The replica bounds its own wait by its read timeout (15 s by default); a little more for the answer. */
    static final Duration WAIT = Duration.ofSeconds(20);

    @Parameters(index = "0", paramLabel = "N")
    int replica;

    @Override
    int run(ClusterClient client) throws CliException {
        Target t = client.member(replica);
        View[] agreed = new View[1];
        client.operatorCallWithin(t, WAIT, admin -> agreed[0] = admin.readmit(replica));
        out().println(MembersCommand.viewLine(agreed[0]));
        return ExitCodes.OK;
    }
}
