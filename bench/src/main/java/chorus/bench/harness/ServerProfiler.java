package chorus.bench.harness;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code launch/bench --profile}: samples the servers' CPU over each measured window with
 * async-profiler, attached to every server JVM of the system under test (Chorus's replicas or
 * ZooKeeper's servers alike) when the window opens and detached when it closes. Each window leaves,
 * in its own directory, the collapsed stacks and an HTML flame graph per server and a
 * {@code summary.md} of where the CPU went ({@link ProfileSummary}); the progress stream gets one
 * line of it.
 *
 * <p>It samples on-CPU time with the kernel's perf events, kernel frames included, every
 * millisecond of CPU; where perf events are not allowed (a container, a strict
 * {@code perf_event_paranoid}) it falls back to a timer signal, which sees Java and native frames
 * but not the kernel's. Profiling costs the servers a little CPU of its own: take throughput
 * figures from runs without it.
 */
public final class ServerProfiler {

    /** The agent inside async-profiler's {@code linux-x64} jar. */
    static final String AGENT_RESOURCE = "linux-x64/libasyncProfiler.so";
    private static final String INTERVAL = "interval=1ms";

    /** Perf events' CPU clock, kernel frames included; where refused, a timer signal. */
    static final List<String> EVENTS = List.of("cpu", "itimer");

    private final Path dir;
    private final Path agent;
    private final PrintStream progress;
    /** The events to sample with, the first that a server accepts. */
    private final List<String> events;
    /** The event each server is being sampled with, while a window is open. */
    private final Map<Long, String> sampling = new HashMap<>();
    /** Server processes attached to whose attach socket may outlive them ({@link #removeStaleAttachSockets}). */
    private final Set<Long> attached = new HashSet<>();

    private ServerProfiler(Path dir, Path agent, PrintStream progress, List<String> events) {
        this.dir = dir;
        this.agent = agent;
        this.progress = progress;
        this.events = List.copyOf(events);
    }

    /** Why profiling cannot run on this machine, or null if it can. */
    public static String unsupportedReason() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "--profile needs Linux on x86-64 (async-profiler's linux-x64 agent); this is " + os + " on " + arch;
        }
        if (ServerProfiler.class.getClassLoader().getResource(AGENT_RESOURCE) == null) {
            return "--profile needs async-profiler's linux-x64 jar on the class path; build the bench module with Maven";
        }
        return null;
    }

    /** Profiles into {@code dir}, where it first copies the agent out of its jar. */
    public static ServerProfiler into(Path dir, PrintStream progress) {
        return into(dir, progress, EVENTS);
    }

    /** The same, trying {@code events} in turn (a test makes the first one fail). */
    static ServerProfiler into(Path dir, PrintStream progress, List<String> events) {
        String reason = unsupportedReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        try {
            Files.createDirectories(dir);
            Path agent = dir.resolve("libasyncProfiler.so");
            try (InputStream in = ServerProfiler.class.getClassLoader().getResourceAsStream(AGENT_RESOURCE)) {
                Files.copy(in, agent, StandardCopyOption.REPLACE_EXISTING);
            }
            return new ServerProfiler(dir.toAbsolutePath(), agent.toAbsolutePath(), progress, events);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the profiler in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Starts sampling every server in {@code pids}, each with the first of the events it accepts. */
    void start(List<Long> pids) {
        sampling.clear();
        for (long pid : pids) {
            AgentInitializationException refused = null;
            for (String event : events) {
                try {
                    command(pid, "start,event=" + event + "," + INTERVAL);
                    sampling.put(pid, event);
                    break;
                } catch (AgentInitializationException e) {
                    // Refused (perf events in a container, say): the agent says why in the server's own output.
                    refused = e;
                }
            }
            if (!sampling.containsKey(pid)) {
                throw new IllegalStateException("the profiler could not start in server process " + pid + " with any of "
                        + events + "; its output in that server's log says why", refused);
            }
        }
    }

    /**
     * Stops sampling and writes the window's files under a directory named after {@code run}
     * (for example "Chorus write-only 32"); returns their summary.
     */
    ProfileSummary stop(List<Long> pids, String run) {
        Path out = dir.resolve(run.replaceAll("[^A-Za-z0-9.-]+", "-"));
        List<Path> stacks = new ArrayList<>();
        try {
            Files.createDirectories(out);
            for (int i = 0; i < pids.size(); i++) {
                long pid = pids.get(i);
                Path collapsed = out.resolve("server-" + (i + 1) + ".collapsed");
                command(pid, "dump,collapsed,file=" + collapsed);
                command(pid, "stop,file=" + out.resolve("server-" + (i + 1) + ".html"));
                stacks.add(collapsed);
            }
            ProfileSummary summary = ProfileSummary.of(stacks);
            String used = String.join(", ", sampling.values().stream().distinct().sorted().toList());
            Files.writeString(out.resolve("summary.md"), "# Profile: " + run + "\n\nServers sampled with "
                    + used + " events, every "
                    + INTERVAL.substring(INTERVAL.indexOf('=') + 1) + " of CPU, over the measured window. "
                    + "Flame graphs: server-N.html; collapsed stacks: server-N.collapsed.\n\n" + summary.markdown(12));
            progress.printf(Locale.ROOT, "profile %s (%s events): %s; files in %s%n", run, used, summary.oneLine(), out);
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the profile of " + run + " to " + out + ": " + e.getMessage(), e);
        } catch (AgentInitializationException e) {
            throw new IllegalStateException("the profiler of " + run + " did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /**
     * Removes the attach sockets of attached servers that have exited. A JVM that has been attached
     * to keeps a socket file, {@code /tmp/.java_pid<pid>} on Linux (HotSpot's fixed directory, not
     * {@code java.io.tmpdir}), and removes it only at a normal exit; the harness kills its servers,
     * which would leave five files in /tmp per profiled system and run. Servers still alive keep theirs.
     */
    void removeStaleAttachSockets() {
        for (Iterator<Long> it = attached.iterator(); it.hasNext(); ) {
            long pid = it.next();
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            Path socket = attachSocket(pid);
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                progress.printf(Locale.ROOT, "# could not remove %s: %s%n", socket, e.getMessage());
            }
            it.remove();
        }
    }

    static Path attachSocket(long pid) {
        return Path.of("/tmp", ".java_pid" + pid);
    }

    /** Loads the agent into {@code pid} with one command (async-profiler takes every command so). */
    private void command(long pid, String command) throws AgentInitializationException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new IllegalStateException("cannot attach the profiler to server process " + pid + ": " + e.getMessage(), e);
        }
        attached.add(pid);
        try {
            vm.loadAgentPath(agent.toString(), command);
        } catch (AgentLoadException | IOException e) {
            throw new IllegalStateException("the profiler agent failed in server process " + pid + " (" + command + "): "
                    + e.getMessage(), e);
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the command ran; a detach that fails leaves nothing behind that matters here
            }
        }
    }
}
