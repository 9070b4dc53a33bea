package chorus.cli;

import chorus.api.model.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "put", header = "Write a key.", mixinStandardHelpOptions = true, description = {
    "Writes VALUE (or the contents of --value-file) under KEY; the replica",
    "coordinates the two-phase commit.",
    "Prints COMMITTED tx=TX version=N latency_ms=X rtt_ms=Y attempts=A",
    "coordinator=C (latency_ms measured by the coordinator, rtt_ms by kv)."})
final class PutCommand extends KvCommand {

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "The value, unless --value-file is given.")
    String argument;

    @Mixin
    ValueFileOption valueFile;

    private String value;

    @Override
    void validate() throws CliException {
        Inputs.key(key);
        value = Inputs.value("put", argument, valueFile.file, kv.stdin);
    }

    @Override
    int run(ClusterClient client) throws CliException {
        long start = System.nanoTime();
        WriteResult w = client.call(client.target(), c -> c.kv().put(key, value));
        out().println(Formats.write(w, System.nanoTime() - start));
        return ExitCodes.OK;
    }
}
