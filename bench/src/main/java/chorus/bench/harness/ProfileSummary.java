package chorus.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the servers' CPU went, from async-profiler's collapsed stacks (one line per distinct stack:
 * frames root first, separated by {@code ;}, then the sample count). Two views of the same samples:
 *
 * <ul>
 *   <li><b>what ran</b>, from the innermost frame: the kernel (system calls, the network stack, the
 *   scheduler; async-profiler marks its frames {@code _[k]}), the storage engine's native code,
 *   the JIT compiler and the garbage collector (by their threads), Java code, and the rest of the
 *   JVM and libc;</li>
 *   <li><b>on whose behalf</b>, from the outermost frame of the system's own code ({@code chorus/}
 *   or {@code org/apache/zookeeper/}): its class, such as {@code KeyValueEndpoint} for client calls
 *   or {@code PeerEndpoint} for the calls of other replicas; a stack with none of it is named by
 *   the runtime its thread belongs to (the JIT compiler, the garbage collector, RMI between calls,
 *   the storage engine's own threads, network I/O) or else counts as the JVM's.</li>
 * </ul>
 */
public record ProfileSummary(long samples, Map<String, Long> whatRan, Map<String, Long> onBehalfOf) {

    public static final String KERNEL = "kernel (system calls, network, scheduler)";
    public static final String STORAGE = "storage engine (native)";
    public static final String JIT = "JIT compiler";
    public static final String GC = "garbage collector";
    public static final String JAVA = "Java code";
    public static final String NATIVE = "JVM and libc (native)";
    public static final String RMI = "RMI runtime, between calls (reading the next call, connections)";
    public static final String STORAGE_THREADS = "storage engine's own threads (flush, compaction)";
    public static final String NETWORK_THREADS = "network I/O threads outside the system's code";
    public static final String OUTSIDE = "other threads of the JVM";

    private static final List<String> OWN_CODE = List.of("chorus/", "org/apache/zookeeper/");

    /** Sums every collapsed-stack file in {@code files}. */
    public static ProfileSummary of(List<Path> files) {
        Builder b = new Builder();
        for (Path f : files) {
            try (Stream<String> lines = Files.lines(f)) {
                lines.forEach(b::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the profile " + f + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /** Sums collapsed-stack lines. */
    public static ProfileSummary ofLines(List<String> lines) {
        Builder b = new Builder();
        lines.forEach(b::add);
        return b.build();
    }

    public double percent(long count) {
        return samples == 0 ? 0 : 100.0 * count / samples;
    }

    /** One line for the progress stream: the first view in full, the second's three largest. */
    public String oneLine() {
        StringBuilder sb = new StringBuilder("samples=" + samples);
        whatRan.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "; %s %.1f%%", k, percent(v))));
        sb.append(" | on behalf of:");
        onBehalfOf.entrySet().stream().limit(3)
                .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.1f%%", e.getKey(), percent(e.getValue()))));
        return sb.toString();
    }

    /** Both views as Markdown tables, largest first; the second stops at {@code limit} rows. */
    public String markdown(int limit) {
        StringBuilder sb = new StringBuilder();
        sb.append("| what ran | share of CPU samples |\n| --- | ---: |\n");
        whatRan.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "| %s | %.1f %% |%n", k, percent(v))));
        sb.append("\n| on behalf of (outermost frame of the system's own code) | share of CPU samples |\n| --- | ---: |\n");
        onBehalfOf.entrySet().stream().limit(limit)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "| %s | %.1f %% |%n", e.getKey(), percent(e.getValue()))));
        return sb.toString();
    }

    static String whatRan(List<String> frames) {
        for (String f : frames) {
            if (f.startsWith("CompileBroker::") || f.startsWith("C2Compiler::") || f.startsWith("Compiler::")) {
                return JIT;
            }
            if (f.startsWith("GCTaskThread") || f.startsWith("VM_GenCollect") || f.startsWith("VM_CollectForAllocation")
                    || f.startsWith("GenCollectedHeap::") || f.startsWith("SerialHeap::")) {
                return GC;
            }
        }
        String leaf = frames.get(frames.size() - 1);
        if (leaf.endsWith("_[k]")) {
            return KERNEL;
        }
        if (leaf.startsWith("rocksdb::") || leaf.contains("librocksdbjni") || leaf.startsWith("snappy::")) {
            return STORAGE;
        }
        if (leaf.contains("/") && !leaf.startsWith("/")) { // a Java frame: package/Class.method
            return JAVA;
        }
        return NATIVE;
    }

    /** @param ran what ran in this stack ({@link #whatRan}), which names a stack without the system's own code */
    static String onBehalfOf(List<String> frames, String ran) {
        for (String f : frames) {
            for (String own : OWN_CODE) {
                if (f.startsWith(own)) {
                    String method = f.substring(f.lastIndexOf('/') + 1);
                    int dot = method.indexOf('.');
                    String type = dot < 0 ? method : method.substring(0, dot);
                    int nested = type.indexOf('$');
                    return nested < 0 ? type : type.substring(0, nested);
                }
            }
        }
        // None of the system's own code on the stack: say which runtime the thread belongs to.
        if (ran.equals(JIT) || ran.equals(GC)) {
            return ran;
        }
        for (String f : frames) {
            if (f.startsWith("sun/rmi/") || f.startsWith("java/rmi/")) {
                return RMI;
            }
            if (f.startsWith("rocksdb::") || f.startsWith("org/rocksdb/")) {
                return STORAGE_THREADS;
            }
            if (f.startsWith("io/netty/") || f.startsWith("sun/nio/") || f.startsWith("java/nio/")) {
                return NETWORK_THREADS;
            }
        }
        return OUTSIDE;
    }

    private static final class Builder {
        private long samples;
        private final Map<String, Long> whatRan = new LinkedHashMap<>();
        private final Map<String, Long> onBehalfOf = new LinkedHashMap<>();

        void add(String line) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                return; // blank or malformed: async-profiler writes neither, but a cut file could end so
            }
            long count;
            try {
                count = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                return;
            }
            List<String> frames = List.of(line.substring(0, space).split(";"));
            samples += count;
            String ran = whatRan(frames);
            whatRan.merge(ran, count, Long::sum);
            onBehalfOf.merge(onBehalfOf(frames, ran), count, Long::sum);
        }

        ProfileSummary build() {
            return new ProfileSummary(samples, sorted(whatRan), sorted(onBehalfOf));
        }

        private static Map<String, Long> sorted(Map<String, Long> m) {
            List<Map.Entry<String, Long>> entries = new ArrayList<>(m.entrySet());
            entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            Map<String, Long> out = new LinkedHashMap<>();
            entries.forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        }
    }
}
