package chorus.chaos;

import chorus.api.config.Coordination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code launch/chaos}: a seeded chaos run against five fresh replica processes. Exit 0: no anomaly. */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts fresh replicas, runs concurrent clients against them while a nemesis injects faults from a "
                + "seeded schedule, heals, waits for recovery and checks the history: linearizability key by key, no "
                + "acknowledged write lost, no aborted write visible, identical replicas, nothing left in doubt or locked, "
                + "one view per epoch and every replica a member of one final view.",
                "Exit codes: 0 no anomaly, 1 anomalies found, 2 bad usage, 3 the run itself failed."})
public final class ChaosMain implements Callable<Integer> {

    @Option(names = "--duration", paramLabel = "S", description = "seconds of clients and faults (default: ${DEFAULT-VALUE})")
    long durationSeconds = 60;

    @Option(names = "--clients", paramLabel = "N", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients = 10;

    @Option(names = "--seed", paramLabel = "X", description = "seed of the fault schedule and the clients (default: random, printed)")
    Long seed;

    @Option(names = "--keys", paramLabel = "K", description = "size of the key set (default: ${DEFAULT-VALUE})")
    int keys = 5;

    @Option(names = "--replicas", paramLabel = "R", description = "replica processes (default: ${DEFAULT-VALUE})")
    int replicas = 5;

    @Option(names = "--coordination", paramLabel = "MODE", description = "which replica coordinates a write: leader (replica 1 "
            + "coordinates every write) or receiver (the one the client called) (default: ${DEFAULT-VALUE})")
    String coordination = "leader";

    @Option(names = "--auto-exclude-ms", paramLabel = "MS", description = "automatic membership: a member silent this long is "
            + "excluded by the others, and readmits itself once back and caught up; 0 = off, only the nemesis excludes and "
            + "readmits, by hand; at least 500 otherwise (half the read lease of 1000 ms) (default: ${DEFAULT-VALUE})")
    long autoExcludeMillis = ChaosRunner.AUTO_EXCLUDE_AFTER.toMillis();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "where replicas keep data and logs and the history is written "
            + "(default: a new directory under run/chaos)")
    Path workDir;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cl = new CommandLine(new ChaosMain());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("error: " + ex.getMessage());
            System.err.println("usage: chaos [--duration S] [--clients N] [--seed X] [--keys K] [--replicas R] "
                    + "[--coordination receiver|leader] [--auto-exclude-ms MS] [--work-dir DIR]; see --help");
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
        ChaosRunner.Options options;
        try {
            String runDir = System.getenv().getOrDefault("CHORUS_RUN_DIR", "run");
            Path dir = workDir != null ? workDir : Path.of(runDir, "chaos", "seed-" + s + "-" + System.currentTimeMillis());
            options = new ChaosRunner.Options(Duration.ofSeconds(durationSeconds), clients, s, keys, replicas, dir.toAbsolutePath(),
                    Duration.ofSeconds(90), 2_000_000, Coordination.parse(coordination), Duration.ofMillis(autoExcludeMillis));
            if (Files.exists(options.workDir()) && Files.list(options.workDir()).findAny().isPresent()) {
                System.err.println("error: work directory " + options.workDir() + " is not empty; give a new one");
                return 2;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        ChaosRunner.Report report;
        try {
            report = new ChaosRunner(options, System.err).run();
        } catch (RuntimeException e) {
            System.err.println("error: the chaos run failed: " + e.getMessage());
            return 3;
        }
        report.print(System.out);
        System.out.println(report.ok() ? "result: OK" : "result: ANOMALIES (reproduce with --seed " + s + ")");
        return report.ok() ? 0 : 1;
    }
}
