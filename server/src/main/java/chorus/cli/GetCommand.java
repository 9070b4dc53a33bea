package chorus.cli;

import chorus.api.model.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", header = "Read a key.", description = {
    "Reads KEY from the replica.",
    "Prints KEY<TAB>VALUE<TAB>VERSION, or NOT_FOUND version=N key=KEY (exit 0 both)."})
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
