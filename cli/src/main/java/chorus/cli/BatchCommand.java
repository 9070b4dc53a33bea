package chorus.cli;

import chorus.api.model.Mutation;
import chorus.api.model.WriteResult;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "batch", header = "Apply several puts and deletes atomically.", mixinStandardHelpOptions = true, description = {
    "Applies every OP in one transaction: all of them or none.",
    "OP: put KEY VALUE | delete KEY | cas KEY VERSION VALUE | cas-delete KEY VERSION",
    "Prints the COMMITTED line with keys=N instead of version=N, then",
    "VERSION<TAB>KEY<TAB>N for each key in key order."})
final class BatchCommand extends KvCommand {

    @Parameters(arity = "1..*", paramLabel = "OP")
    List<String> words;

    private List<Mutation> mutations;

    @Override
    void validate() throws CliException {
        mutations = BatchParser.parse(words);
    }

    @Override
    int run(ClusterClient client) throws CliException {
        long start = System.nanoTime();
        WriteResult w = client.call(client.target(), c -> c.kv().execute(mutations));
        Formats.batch(w, System.nanoTime() - start).forEach(out()::println);
        return ExitCodes.OK;
    }
}
