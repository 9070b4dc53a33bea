package chorus.cli;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ConfigException;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Security;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code kv}, the command line of Chorus. Global options may stand before or after the
 * subcommand. Formats and exit codes are a contract with scripts: see {@code docs/cli.md}.
 */
@Command(name = "kv", mixinStandardHelpOptions = true, version = "kv (Chorus) 0.1",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Reads, writes and inspects a Chorus cluster through one replica's RMI interfaces.",
        subcommands = {GetCommand.class, PutCommand.class, DeleteCommand.class, CasCommand.class,
            BatchCommand.class, StatusCommand.class, DumpCommand.class, EventsCommand.class, WatchCommand.class,
            FailCommand.class, InDoubtCommand.class, ForceCommand.class, MembersCommand.class, ExcludeCommand.class, ReadmitCommand.class, AwaitUpCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%n",
        footer = {
            "Keys and values in tab-separated output are escaped as \\\\ \\t \\n \\r.",
            "Lines starting with # are comments. Formats: docs/cli.md or kv help COMMAND.",
            "Errors go to stderr as one line: error: <replica>: <reason>.",
            "",
            "Exit codes:",
            "  0  success (including a get that finds no key)",
            "  1  internal error of kv",
            "  2  usage: unknown command/option, missing argument, bad cluster file,",
            "     unknown replica id",
            "  3  invalid input (key, value, version, batch; an argument or value",
            "     file that is not UTF-8, a value file over 1 MiB): nothing sent",
            "  4  the replica refused or aborted the request (write aborted, read",
            "     timed out, admin call not permitted, operator token refused)",
            "  5  the replica is unreachable or did not answer in time",
            "  6  outcome unknown: the write may or may not have been applied"})
public final class KvMain implements Callable<Integer> {

    /** Used when --config is not given; relative to the working directory (launch/kv passes an absolute path). */
    public static final Path DEFAULT_CONFIG = Path.of("conf", "cluster.properties");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Cluster file (default: conf/cluster.properties).")
    Path config;

    @Option(names = {"-r", "--replica"}, paramLabel = "N", scope = ScopeType.INHERIT,
            description = "Talk to replica N of the cluster file (default: the first).")
    Integer replica;

    @Option(names = "--connect", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
            description = "Talk to the replica at HOST:PORT (the cluster file is optional then); "
                    + "status, dump and in-doubt then show that replica only.")
    String connect;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The operator token for fail and force, in place of the cluster file's admin.token-file.")
    Path tokenFile;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "3000", scope = ScopeType.INHERIT,
            description = "Bound on admin calls of status, dump, events, fail (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Spec
    CommandSpec spec;

    private ClusterClient client;

    /** Where {@code --value-file -} reads from. */
    InputStream stdin = System.in;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The connection helper for the chosen cluster file and replica, created on first use. */
    ClusterClient client() throws CliException {
        if (client == null) {
            client = openClient();
        }
        return client;
    }

    private ClusterClient openClient() throws CliException {
        if (replica != null && connect != null) {
            throw CliException.usage("--replica and --connect exclude each other");
        }
        if (timeoutMs < 1 || timeoutMs > 600_000) {
            throw CliException.usage("--timeout-ms must be 1..600000, was " + timeoutMs);
        }
        Path path = config != null ? config : DEFAULT_CONFIG;
        Optional<ClusterConfig> cluster;
        if (config == null && connect != null && !Files.exists(path)) {
            cluster = Optional.empty();
        } else {
            try {
                cluster = Optional.of(ClusterConfig.load(path));
            } catch (ConfigException e) {
                throw CliException.usage(e.getMessage());
            }
        }
        Target target;
        if (connect != null) {
            Target bare = Target.parse(connect);
            target = cluster.flatMap(c -> c.replicas().stream()
                            .filter(a -> a.host().equals(bare.address().host()) && a.port() == bare.address().port())
                            .findFirst())
                    .map(Target::of).orElse(bare);
        } else {
            ClusterConfig c = cluster.orElseThrow();
            ReplicaAddress a;
            try {
                a = replica == null ? c.replicas().get(0) : c.require(replica);
            } catch (ConfigException e) {
                throw CliException.usage(e.getMessage());
            }
            target = Target.of(a);
        }
        Security security = cluster.map(ClusterConfig::security).orElse(Security.NONE);
        if (tokenFile != null) {
            security = security.withTokenFile(tokenFile.toAbsolutePath().toString());
            // Read now, so that a missing or empty file is a usage error before anything is sent.
            try {
                security.readToken();
            } catch (ConfigException e) {
                throw CliException.usage(e.getMessage().replace("admin.token-file", "--token-file"));
            }
        }
        return new ClusterClient(cluster, security, target, connect != null, Duration.ofMillis(timeoutMs));
    }

    /** A configured command line that prints to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        KvMain main = new KvMain();
        CommandLine cl = new CommandLine(main);
        // picocli would read "@word" as a file of further arguments, even after "--": "kv put k
        // @/etc/shadow" would store that file, and a file could slip in options. Every argument
        // is taken as typed.
        cl.setExpandAtFiles(false);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage() + " (see: kv " + helpPath(c) + "--help)");
            c.getErr().flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            CliException failure = ex instanceof CliException e ? e
                    : new CliException(ExitCodes.INTERNAL, "unexpected " + ex, ex);
            c.getErr().println("error: " + failure.getMessage());
            c.getErr().flush();
            return failure.exitCode();
        });
        return cl;
    }

    private static String helpPath(CommandLine c) {
        return c.getParent() == null ? "" : c.getCommandName() + " ";
    }

    /** Runs {@code kv} with the given arguments and returns the exit code; for tests and {@link #main}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(System.in, out, err, args);
    }

    /** The same, reading standard input from {@code in}. */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        return run(in, out, err, Optional.empty(), args);
    }

    /** {@code raw}: the bytes the arguments were decoded from, where known ({@link ArgumentText}). */
    private static int run(InputStream in, PrintWriter out, PrintWriter err, Optional<List<byte[]>> raw, String... args) {
        try {
            ArgumentText.check(args, raw);
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
        CommandLine cl = commandLine(out, err);
        ((KvMain) cl.getCommand()).stdin = in;
        try {
            return cl.execute(args);
        } finally {
            KvMain main = cl.getCommand();
            if (main.client != null) {
                main.client.close();
            }
            out.flush();
            err.flush();
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        // System.exit also ends RMI's non-daemon threads, so kv never lingers after its answer.
        System.exit(run(System.in, out, err, ArgumentText.rawArguments(args), args));
    }
}
