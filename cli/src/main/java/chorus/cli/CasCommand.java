package chorus.cli;

import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cas", header = "Write a key if it is at an expected version.", mixinStandardHelpOptions = true, description = {
    "Writes VALUE (or the contents of --value-file) under KEY only if KEY is at",
    "EXPECTED_VERSION (0: the key must not exist). A mismatch aborts the write:",
    "exit 4, nothing changed. Prints COMMITTED tx=TX version=N ... as put does."})
final class CasCommand extends KvCommand {

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "EXPECTED_VERSION")
    String expected;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE", description = "The value, unless --value-file is given.")
    String argument;

    @Mixin
    ValueFileOption valueFile;

    private String value;

    @Override
    void validate() throws CliException {
        Inputs.key(key);
        Inputs.version(expected);
        value = Inputs.value("cas", argument, valueFile.file, kv.stdin);
    }

    @Override
    int run(ClusterClient client) throws CliException {
        List<Mutation> one = List.of(new Mutation.Put(key, value, Inputs.version(expected)));
        long start = System.nanoTime();
        WriteResult w = client.call(client.target(), c -> c.kv().execute(one));
        out().println(Formats.write(w, System.nanoTime() - start));
        return ExitCodes.OK;
    }
}
