package chorus.cli;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.InDoubtTransaction;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "in-doubt", header = "List the transactions replicas hold prepared without a decision.",
        mixinStandardHelpOptions = true, description = {
    "Asks every replica for the transactions it holds prepared while it does not",
    "know their outcome (its locks stay held). Prints one tab-separated line per",
    "replica and transaction: REPLICA TX COORDINATOR AGE_MS KEYS LAST_ATTEMPT.",
    "A replica that does not answer is reported on stderr; exit 0 unless none answered.",
    "With --connect: that replica only, and exit 5 when it does not answer."})
final class InDoubtCommand extends KvCommand {

    static final String HEADER = "# REPLICA\tTX\tCOORDINATOR\tAGE_MS\tKEYS\tLAST_ATTEMPT";

    @Override
    int run(ClusterClient client) throws CliException {
        List<String> lines = new ArrayList<>();
        int answered = 0;
        long now = System.currentTimeMillis();
        for (ReplicaAddress a : client.inspected()) {
            List<InDoubtTransaction> txs;
            try {
                txs = client.callWithin(Target.of(a), client.adminWait(), c -> c.admin().inDoubt());
            } catch (CliException e) {
                if (client.connectOnly()) {
                    throw e; // the one replica asked for
                }
                err().println("warning: " + e.getMessage());
                continue;
            }
            answered++;
            for (InDoubtTransaction t : txs) {
                lines.add(a.id() + "\t" + t.txId() + "\t" + t.coordinator() + "\t" + Math.max(0, now - t.preparedAtMillis()) + "\t"
                        + Formats.escape(String.join(",", t.keys())) + "\t" + Formats.escape(t.lastAttempt()));
            }
        }
        if (answered == 0) {
            throw new CliException(ExitCodes.UNREACHABLE, "no replica answered");
        }
        out().println(HEADER);
        lines.forEach(out()::println);
        return ExitCodes.OK;
    }
}
