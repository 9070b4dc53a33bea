package chorus.cli;

import chorus.api.model.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", header = "Delete a key.", mixinStandardHelpOptions = true, description = {
    "Deletes KEY; the key keeps the version of its delete.",
    "Prints COMMITTED tx=TX version=N ... as put does."})
final class DeleteCommand extends KvCommand {

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    void validate() throws CliException {
        Inputs.key(key);
    }

    @Override
    int run(ClusterClient client) throws CliException {
        long start = System.nanoTime();
        WriteResult w = client.call(client.target(), c -> c.kv().delete(key));
        out().println(Formats.write(w, System.nanoTime() - start));
        return ExitCodes.OK;
    }
}
