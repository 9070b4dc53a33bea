package chorus.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * The server processes a harness started (replicas, ZooKeeper servers), by the caller's id, and
 * stopped only by their own pids: signalled through kill(1), killed with SIGKILL, and all of them
 * killed by a shutdown hook should this JVM exit before {@link #close}. Shared by the test
 * cluster, the chaos run and the benchmark's ZooKeeper ensemble.
 */
public final class ChildProcesses implements AutoCloseable {

    /** By id, in order: {@link #pids} lists them as started 1, 2, 3… */
    private final Map<Integer, Process> processes = new ConcurrentSkipListMap<>();
    private final Thread reaper;

    public ChildProcesses(String name) {
        this.reaper = new Thread(this::killAll, name + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Takes {@code process} in charge as {@code id} (replacing a previous one that has exited). */
    public void put(int id, Process process) {
        processes.put(id, process);
    }

    /** The process started as {@code id}, or null. */
    public Process get(int id) {
        return processes.get(id);
    }

    public boolean isAlive(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    public List<Long> pids() {
        return processes.values().stream().map(Process::pid).toList();
    }

    /** Sends {@code signal} (STOP, CONT) to process {@code id}; false if it is not running. */
    public boolean signal(int id, String signal) {
        Process p = processes.get(id);
        if (p == null || !p.isAlive()) {
            return false;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + p.pid(), e);
        }
    }

    /** SIGKILL, then waits (at most 30 s) for the process to be gone. */
    public void kill(int id) {
        Process p = processes.get(id);
        if (p != null) {
            p.destroyForcibly();
            awaitExit(id, Duration.ofSeconds(30));
        }
    }

    /** True if process {@code id} has exited (or never ran) within {@code timeout}. */
    public boolean awaitExit(int id, Duration timeout) {
        Process p = processes.get(id);
        try {
            return p == null || p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills every process still running and waits for them. */
    public void killAll() {
        for (Process p : processes.values()) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (int id : processes.keySet()) {
            awaitExit(id, Duration.ofSeconds(30));
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }
}
