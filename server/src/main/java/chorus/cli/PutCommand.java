package chorus.cli;

import chorus.api.model.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "put", header = "Write a key.", description = {
    "Writes VALUE under KEY through the replica (it coordinates the 2PC).",
    "Prints COMMITTED tx=TX version=N latency_ms=X rtt_ms=Y attempts=A coordinator=C."})
final class PutCommand extends KvCommand {

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    void validate() throws CliException {
        Inputs.key(key);
        Inputs.value(value);
    }

    @Override
    int run(ClusterClient client) throws CliException {
        long start = System.nanoTime();
        WriteResult w = client.call(client.target(), c -> c.kv().put(key, value));
        out().println(Formats.write(w, System.nanoTime() - start));
        return ExitCodes.OK;
    }
}
