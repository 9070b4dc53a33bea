package chorus.cli;

import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "fail", header = "Switch a replica's simulated failure on or off.", mixinStandardHelpOptions = true, description = {
    "Turns replica N's simulated failure on or off through its admin",
    "interface. While on, the replica answers clients and peers as a crashed",
    "one would. Prints SIMULATED_FAILURE replica=N state=on|off."})
final class FailCommand extends KvCommand {

    @Parameters(index = "0", paramLabel = "N")
    int replica;

    @Parameters(index = "1", paramLabel = "on|off")
    String state;

    @Override
    void validate() throws CliException {
        String s = state.toLowerCase(Locale.ROOT);
        if (!s.equals("on") && !s.equals("off")) {
            throw CliException.usage("fail: expected on or off, got '" + state + "'");
        }
    }

    @Override
    int run(ClusterClient client) throws CliException {
        String s = state.toLowerCase(Locale.ROOT);
        boolean on = s.equals("on");
        Target t = client.member(replica);
        client.operatorCallWithin(t, client.adminWait(), admin -> admin.setSimulatedFailure(on));
        out().println("SIMULATED_FAILURE replica=" + replica + " state=" + s);
        return ExitCodes.OK;
    }
}
