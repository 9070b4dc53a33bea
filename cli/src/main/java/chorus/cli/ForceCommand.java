package chorus.cli;

import chorus.api.model.Decision;
import chorus.api.model.TxId;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "force", header = "Force the outcome of a transaction in doubt on one replica.", mixinStandardHelpOptions = true,
        description = {
    "Applies COMMIT or ABORT to transaction TX on replica N, releases its locks and",
    "records it there as a heuristic decision (an operator's guess: use it only when",
    "the coordinator cannot come back; see 'kv in-doubt'). Needs the operator token",
    "where the cluster file sets one. Prints FORCED replica=N tx=TX decision=D."})
final class ForceCommand extends KvCommand {

    @Parameters(index = "0", paramLabel = "N")
    int replica;

    @Parameters(index = "1", paramLabel = "TX")
    String tx;

    @Parameters(index = "2", paramLabel = "commit|abort")
    String decision;

    @Option(names = "--note", paramLabel = "TEXT", description = "why, recorded with the decision")
    String note = "";

    @Override
    void validate() throws CliException {
        try {
            TxId.parse(tx);
        } catch (IllegalArgumentException e) {
            throw CliException.invalidInput(e.getMessage());
        }
        String d = decision.toLowerCase(Locale.ROOT);
        if (!d.equals("commit") && !d.equals("abort")) {
            throw CliException.usage("force: expected commit or abort, got '" + decision + "'");
        }
    }

    @Override
    int run(ClusterClient client) throws CliException {
        TxId id = TxId.parse(tx);
        Decision d = decision.equalsIgnoreCase("commit") ? Decision.COMMIT : Decision.ABORT;
        client.operatorCallWithin(client.member(replica), client.adminWait(), admin -> admin.forceDecision(id, d, note));
        out().println("FORCED replica=" + replica + " tx=" + id + " decision=" + d);
        return ExitCodes.OK;
    }
}
