package chorus.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Base of the {@code kv} subcommands: the global options live on {@link KvMain}. */
abstract class KvCommand implements Callable<Integer> {

    @ParentCommand
    KvMain kv;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws CliException {
        // Input is checked before the cluster file is read or anything is sent.
        validate();
        return run(kv.client());
    }

    /** Checks the arguments; throws {@link ExitCodes#INVALID_INPUT} or {@link ExitCodes#USAGE} failures. */
    void validate() throws CliException {
    }

    /** Runs the command; returns the exit code or throws a {@link CliException} for a failure. */
    abstract int run(ClusterClient client) throws CliException;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
