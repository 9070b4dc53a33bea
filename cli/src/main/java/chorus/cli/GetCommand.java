package chorus.cli;

import chorus.api.model.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", header = "Read a key.", mixinStandardHelpOptions = true, description = {
    "Reads KEY from the replica's committed state.",
    "Prints KEY<TAB>VALUE<TAB>VERSION, or NOT_FOUND version=N key=KEY for a key",
    "that never existed (version 0) or was deleted. Exit 0 in both cases."})
final class GetCommand extends KvCommand {

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    void validate() throws CliException {
        Inputs.key(key);
    }

    @Override
    int run(ClusterClient client) throws CliException {
        ReadResult r = client.call(client.target(), c -> c.kv().get(key));
        out().println(Formats.read(r));
        return ExitCodes.OK;
    }
}
