package chorus.cli;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.MembershipStatus;
import chorus.api.model.View;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

@Command(name = "members", header = "Show the membership view: the epoch, the members, and each replica's role and read lease.",
        mixinStandardHelpOptions = true, description = {
    "Asks every replica for the membership view it knows agreed. Prints one",
    "tab-separated line per replica: REPLICA ROLE EPOCH MEMBERS LEASE_MS NOTE, where",
    "ROLE is member, learner (excluded, copying the data to rejoin) or excluded,",
    "LEASE_MS how long its read lease still runs (0: it holds none and serves no",
    "reads) and NOTE a learner's progress, else why it holds no lease. Replicas that know",
    "different epochs are all shown: the lower ones learn the newer view soon.",
    "A replica that does not answer is reported on stderr; exit 0 unless none answered.",
    "With --connect: that replica only, and exit 5 when it does not answer."})
final class MembersCommand extends KvCommand {

    static final String HEADER = "# REPLICA\tROLE\tEPOCH\tMEMBERS\tLEASE_MS\tNOTE";

    @Override
    int run(ClusterClient client) throws CliException {
        List<String> lines = new ArrayList<>();
        for (ReplicaAddress a : client.inspected()) {
            MembershipStatus s;
            try {
                s = client.callWithin(Target.of(a), client.adminWait(), c -> c.admin().members());
            } catch (CliException e) {
                if (client.connectOnly()) {
                    throw e;
                }
                err().println("warning: " + e.getMessage());
                continue;
            }
            lines.add(s.replica() + "\t" + s.role() + "\t" + s.view().epoch() + "\t" + members(s) + "\t"
                    + s.leaseRemainingMillis() + "\t" + Formats.escape(s.catchUp() != null ? s.catchUp().describe() : s.leaseProblem()));
        }
        if (lines.isEmpty()) {
            throw new CliException(ExitCodes.UNREACHABLE, "no replica answered");
        }
        out().println(HEADER);
        lines.forEach(out()::println);
        return ExitCodes.OK;
    }

    static String members(MembershipStatus s) {
        return members(s.view());
    }

    static String members(View v) {
        return v.members().stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** What exclude and readmit print: "VIEW epoch=2 members=1,2,4,5". */
    static String viewLine(View v) {
        return "VIEW epoch=" + v.epoch() + " members=" + members(v);
    }
}
