package chorus.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Facts about this machine and its processes, read from /proc (Linux). */
public final class Machine {

    private Machine() {
    }

    /** The 1-minute load average, or NaN where /proc/loadavg is missing. */
    public static double loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII);
            return Double.parseDouble(s.split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The 1, 5 and 15-minute load averages as /proc/loadavg shows them. */
    public static String loadAverages() {
        try {
            String[] s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return s[0] + " " + s[1] + " " + s[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Resident memory of process {@code pid} in MB (VmRSS, 10^6 bytes), if it is readable. */
    public static Optional<Double> residentMB(long pid) {
        return statusField(pid, "VmRSS:").map(kb -> kb * 1024 / 1e6);
    }

    private static Optional<Long> statusField(long pid, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"), StandardCharsets.US_ASCII);
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return Optional.of(Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** CPU time (user + system) process {@code pid} has used so far, in seconds; 0 if it is not readable. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
            // Fields after the command name (which may hold spaces) start behind the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU time of several processes together, in seconds. */
    public static double cpuSeconds(List<Long> pids) {
        return pids.stream().mapToDouble(Machine::cpuSeconds).sum();
    }

    /** USER_HZ: 100 on every Linux this runs on (procfs reports ticks of 1/100 s). */
    private static final int CLOCK_TICKS = 100;

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "unknown CPU";
    }

    public static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.substring(9).trim().split("\\s+")[0]);
                    return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1048576.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "unknown";
    }

    public static String jdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    public static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }
}
