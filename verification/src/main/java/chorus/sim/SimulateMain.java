package chorus.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code launch/simulate}: runs seeded lifetimes of the real protocol in the simulator and reports
 * each; a failing seed comes with the command that replays it and the trace of its last steps.
 * Exit code 0: every seed clean; 1: some seed found an anomaly; 2: bad usage; 3: the simulator failed.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false, version = "chorus simulate 0.1.0",
        description = "Runs seeded lifetimes of the Chorus protocol in a deterministic simulator and checks each.")
public final class SimulateMain implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--seeds", paramLabel = "N", description = "lifetimes to run (default: ${DEFAULT-VALUE})", defaultValue = "100")
    int seeds;

    @Option(names = "--seed", paramLabel = "S", description = "the first seed; the others follow it (default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    long seed;

    @Option(names = "--steps", paramLabel = "K", description = "simulated events in each lifetime's faulty phase "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "" + Simulation.DEFAULT_STEPS)
    long steps;

    @Option(names = "--jobs", paramLabel = "J", description = "lifetimes run at once (default: the number of cores)")
    Integer jobs;

    @Option(names = "--trace-lines", paramLabel = "L", description = "trace lines shown for a failing seed (default: ${DEFAULT-VALUE})",
            defaultValue = "80")
    int traceLines;

    @Option(names = "--trace-dir", paramLabel = "DIR", description = "where a failing seed's whole trace is written "
            + "(default: $CHORUS_RUN_DIR/simulate, else run/simulate)")
    Path traceDir;

    @Option(names = "--verbose", description = "each seed's setup under its line")
    boolean verbose;

    @Option(names = "--quiet", description = "no line for a passing seed: only failures and the summary")
    boolean quiet;

    @Option(names = "--trace", description = "print the kept trace lines of every seed, passing ones included")
    boolean printTrace;

    private final PrintStream out;
    private final PrintStream err;
    /** Bugs put back, for tests of this command's report; never set from the command line. */
    Bugs bugs = Bugs.NONE;

    SimulateMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Simulation.quietLogs();
        System.exit(run(System.out, System.err, args));
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, Bugs.NONE, args);
    }

    static int run(PrintStream out, PrintStream err, Bugs bugs, String... args) {
        SimulateMain command = new SimulateMain(out, err);
        command.bugs = bugs;
        CommandLine cl = new CommandLine(command);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExpandAtFiles(false);
        return cl.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        String bad = seeds < 1 ? "--seeds must be at least 1, not " + seeds
                : steps < 1 ? "--steps must be at least 1, not " + steps
                : jobs != null && jobs < 1 ? "--jobs must be at least 1, not " + jobs
                : traceLines < 0 ? "--trace-lines must not be negative, not " + traceLines : null;
        if (bad != null) {
            err.println("error: " + bad);
            return 2;
        }
        int workers = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "simulating %d lifetimes from seed %d, %d steps each, %d at a time%n", seeds, seed, steps, workers);
        long wall = System.nanoTime();
        Simulation.Totals totals = new Simulation.Totals();
        List<Long> failed = new ArrayList<>();
        try {
            Simulation.runAll(LongStream.range(seed, seed + seeds).boxed().toList(), steps, traceLines, bugs, workers, o -> {
                totals.add(o);
                if (!o.ok()) {
                    failed.add(o.seed());
                    progressClear();
                    report(o);
                } else if (!quiet || printTrace) {
                    progressClear();
                    out.println(Simulation.line(o) + (verbose ? "\n         " + o.setup() : ""));
                    if (printTrace) {
                        o.trace().forEach(l -> out.println("    " + l));
                    }
                }
                progress(totals.lifetimes, failed.size());
            });
        } catch (ExecutionException e) {
            progressClear();
            err.println("error: the simulator itself failed: " + e.getCause());
            e.getCause().printStackTrace(err);
            return 3;
        }
        progressClear();
        out.println(totals.summary(System.nanoTime() - wall));
        if (!failed.isEmpty()) {
            out.println("failing seeds: " + failed);
        }
        out.printf("%d passed, %d failed%n", seeds - failed.size(), failed.size());
        return failed.isEmpty() ? 0 : 1;
    }

    private void report(Lifetime.Outcome o) {
        out.println("SEED " + o.seed() + " FAILED (" + o.setup() + ")");
        for (String a : o.anomalies()) {
            out.println("  anomaly: " + a.replace("\n", "\n    "));
        }
        out.println("  replay: launch/simulate --seeds 1 --seed " + o.seed() + " --steps " + steps + " --trace-lines 400");
        replay(o);
        out.println("  the last " + o.trace().size() + " of " + o.traceLines() + " trace lines (trace digest "
                + Long.toHexString(o.digest()) + "):");
        for (String l : o.trace()) {
            out.println("    " + l);
        }
    }

    /**
     * Runs the failing seed again keeping every trace line, writes them to a file (the anomalies
     * name operations by their times; the file has every step up to them), and checks that the
     * replay is the same run.
     */
    private void replay(Lifetime.Outcome o) {
        Lifetime.Outcome again = Lifetime.run(o.seed(), steps, Integer.MAX_VALUE, bugs);
        if (again.digest() != o.digest()) {
            out.println("  NOT REPRODUCIBLE: the replay traced " + again.traceLines() + " lines (digest "
                    + Long.toHexString(again.digest()) + "), the run " + o.traceLines() + " (digest " + Long.toHexString(o.digest())
                    + "): something in the simulated world is not drawn from the seed");
        }
        Path dir = traceDir != null ? traceDir
                : Path.of(System.getenv().getOrDefault("CHORUS_RUN_DIR", "run")).resolve("simulate");
        Path file = dir.resolve("seed-" + o.seed() + ".trace");
        try {
            Files.createDirectories(dir);
            List<String> lines = new ArrayList<>();
            lines.add("# launch/simulate --seeds 1 --seed " + o.seed() + " --steps " + steps + "  (" + o.setup() + ")");
            o.anomalies().forEach(a -> lines.add("# anomaly: " + a.replace("\n", "\n#   ")));
            lines.addAll(again.trace());
            Files.write(file, lines, StandardCharsets.UTF_8);
            out.println("  the whole trace (" + again.traceLines() + " lines): " + file);
        } catch (IOException e) {
            out.println("  could not write the whole trace to " + file + ": " + e.getMessage());
        }
    }

    private boolean interactive() {
        return System.console() != null && out == System.out;
    }

    private void progress(long done, int failures) {
        if (!interactive()) {
            return;
        }
        int width = 40;
        int filled = (int) ((long) done * width / seeds);
        out.printf("\r[%s%s] %d/%d seeds, %d failed", "#".repeat(filled), ".".repeat(width - filled), done, seeds, failures);
        out.flush();
    }

    private void progressClear() {
        if (interactive()) {
            out.print("\r" + " ".repeat(70) + "\r");
        }
    }
}
