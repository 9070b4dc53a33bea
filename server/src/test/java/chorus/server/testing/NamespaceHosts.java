package chorus.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Separate network hosts on one machine: one Linux network namespace per host, each joined by a
 * veth pair to a bridge in the root namespace, with addresses in a private /24 that this class
 * picks (one not already routed here) and assigns itself. The root namespace gets the bridge's
 * address, so a test process there reaches every host. One host's link can be cut ({@link #cut}),
 * or the hosts split into groups that cannot reach one another ({@link #partition}) while the root
 * namespace still reaches all of them. Only what this class created is touched, and {@link #close()}
 * removes all of it (partition routes, namespaces, links), also after a failure. Needs root and
 * iproute2's {@code ip}; without them {@link #create} throws with a message that says what is missing.
 * One set of hosts exists at a time on a machine (a file lock, held until {@link #close()}): test
 * classes run in parallel forks, and two of them would otherwise pick the same free subnet.
 */
public final class NamespaceHosts implements AutoCloseable {

    private static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), "chorus-namespace-hosts.lock");
    /** Another fork's hosts live for one test class: a minute or so. */
    private static final long LOCK_WAIT_MINUTES = 5;

    private static final Path[] IP_BINARIES = {Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"), Path.of("/bin/ip")};

    private final String ip;
    private final String tag;
    private final String subnetPrefix;
    private final int hosts;
    private final Deque<List<String>> undo = new ArrayDeque<>();
    /** The routes {@link #partition} added, as {host, address it can no longer reach}; removed by {@link #healPartition}. */
    private final List<int[]> partitionRoutes = new ArrayList<>();
    private final Thread reaper = new Thread(this::cleanUp, "namespace-hosts-reaper");
    private FileChannel lock;

    private NamespaceHosts(String ip, String tag, String subnetPrefix, int hosts) {
        this.ip = ip;
        this.tag = tag;
        this.subnetPrefix = subnetPrefix;
        this.hosts = hosts;
    }

    /** Creates {@code hosts} namespaces named chorus-TAG-N with addresses PREFIX.N, or fails saying why. */
    public static NamespaceHosts create(int hosts) {
        if (hosts < 1 || hosts > 252) {
            throw new IllegalArgumentException("1 to 252 hosts (.253 and .254 of the subnet are taken), not " + hosts);
        }
        String ip = findIp();
        String tag = Long.toString(ProcessHandle.current().pid() % 10_000);
        FileChannel lock = lockMachineWide();
        NamespaceHosts h;
        try {
            h = new NamespaceHosts(ip, tag, pickSubnet(ip), hosts);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
        h.lock = lock;
        Runtime.getRuntime().addShutdownHook(h.reaper);
        try {
            h.build();
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    public String namespace(int host) {
        return "chorus-" + tag + "-" + host;
    }

    public String address(int host) {
        return subnetPrefix + "." + host;
    }

    /** The root-namespace end of host {@code host}'s link: the cable to cut. */
    public String link(int host) {
        return "chv" + tag + "r" + host;
    }

    /** The command prefix that runs a program inside host {@code host}. */
    public List<String> exec(int host) {
        return List.of(ip, "netns", "exec", namespace(host));
    }

    public void cut(int host) {
        run(ip, "link", "set", link(host), "down");
    }

    public void heal(int host) {
        run(ip, "link", "set", link(host), "up");
    }

    /**
     * Splits the hosts into {@code groups} that cannot reach one another, as if the switch between
     * them broke: in each host, every address outside its group is routed to a gateway that does not
     * exist, so packets to it are dropped silently (connections already open hang, new ones time
     * out) while the hosts of one group still talk. The root namespace is on neither side and still
     * reaches every host, so a test can watch and steer both sides. Every host is in exactly one
     * group; the hosts' routes change at about the same moment (one {@code ip -batch} per host, run
     * side by side). Undone by {@link #healPartition()}, and by {@link #close()}.
     */
    public synchronized void partition(List<List<Integer>> groups) {
        if (!partitionRoutes.isEmpty()) {
            throw new IllegalStateException("the hosts are partitioned already; heal first");
        }
        int[] groupOf = new int[hosts + 1];
        for (int g = 0; g < groups.size(); g++) {
            for (int h : groups.get(g)) {
                if (h < 1 || h > hosts || groupOf[h] != 0) {
                    throw new IllegalArgumentException("host " + h + " is no host of 1.." + hosts + " or in two groups: " + groups);
                }
                groupOf[h] = g + 1;
            }
        }
        for (int h = 1; h <= hosts; h++) {
            if (groupOf[h] == 0) {
                throw new IllegalArgumentException("host " + h + " is in no group: " + groups);
            }
        }
        Map<Integer, List<String>> batches = new TreeMap<>();
        for (int h = 1; h <= hosts; h++) {
            for (int other = 1; other <= hosts; other++) {
                if (groupOf[other] != groupOf[h]) {
                    batches.computeIfAbsent(h, k -> new ArrayList<>())
                            .add("route add " + address(other) + "/32 via " + nowhere() + " dev " + inside(h));
                    // Noted before it is added: a failure halfway is undone all the same.
                    partitionRoutes.add(new int[] {h, other});
                }
            }
        }
        List<String> failures = runBatches(batches, false);
        if (!failures.isEmpty()) {
            removePartitionRoutes();
            throw new IllegalStateException("could not partition the hosts into " + groups + ": " + failures);
        }
    }

    /** Removes what {@link #partition} added: every host reaches every other again. */
    public synchronized void healPartition() {
        List<String> failures = removePartitionRoutes();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not heal the partition: " + failures);
        }
    }

    private List<String> removePartitionRoutes() {
        Map<Integer, List<String>> batches = new TreeMap<>();
        for (int[] route : partitionRoutes) {
            batches.computeIfAbsent(route[0], k -> new ArrayList<>()).add("route del " + address(route[1]) + "/32");
        }
        partitionRoutes.clear();
        return runBatches(batches, true);
    }

    /** Runs each host's commands as one {@code ip -n NS -batch -}, all hosts side by side; what failed. */
    private List<String> runBatches(Map<Integer, List<String>> batches, boolean force) {
        Map<Integer, Process> running = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> b : batches.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of(ip, "-n", namespace(b.getKey())));
            if (force) {
                cmd.add("-force");
            }
            cmd.addAll(List.of("-batch", "-"));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                running.put(b.getKey(), p);
                try (var in = p.getOutputStream()) {
                    in.write((String.join("\n", b.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                failures.add(String.join(" ", cmd) + " could not run: " + e.getMessage());
            }
        }
        for (Map.Entry<Integer, Process> r : running.entrySet()) {
            String what = "ip -n " + namespace(r.getKey()) + " -batch " + batches.get(r.getKey());
            try {
                Process p = r.getValue();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    failures.add(what + " did not finish within 30 s");
                    continue;
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.exitValue() != 0) {
                    failures.add(what + " failed with exit " + p.exitValue() + ": " + out);
                }
            } catch (IOException e) {
                failures.add(what + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(what + ": interrupted");
            }
        }
        return failures;
    }

    /** An address of the subnet that no host and not the root namespace has: a gateway that never answers. */
    private String nowhere() {
        return subnetPrefix + ".253";
    }

    /** Host {@code host}'s end of its link, inside its namespace. */
    private String inside(int host) {
        return "chv" + tag + "n" + host;
    }

    private String bridge() {
        return "chbr" + tag;
    }

    private void build() {
        // The first probe: if this fails, nothing else can work, and the message says why.
        String ns1 = namespace(1);
        try {
            run(ip, "netns", "add", ns1);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot create a network namespace (" + e.getMessage() + "); this test needs root "
                    + "(CAP_SYS_ADMIN and CAP_NET_ADMIN) and a kernel with network namespaces", e);
        }
        undo.push(List.of(ip, "netns", "del", ns1));
        run(ip, "link", "add", bridge(), "type", "bridge");
        undo.push(List.of(ip, "link", "del", bridge()));
        run(ip, "addr", "add", subnetPrefix + ".254/24", "dev", bridge());
        run(ip, "link", "set", bridge(), "up");
        for (int h = 1; h <= hosts; h++) {
            String ns = namespace(h);
            if (h > 1) {
                run(ip, "netns", "add", ns);
                undo.push(List.of(ip, "netns", "del", ns));
            }
            String inside = inside(h);
            run(ip, "link", "add", link(h), "type", "veth", "peer", "name", inside);
            undo.push(List.of(ip, "link", "del", link(h)));
            run(ip, "link", "set", inside, "netns", ns);
            run(ip, "link", "set", link(h), "master", bridge());
            run(ip, "link", "set", link(h), "up");
            run(ip, "-n", ns, "link", "set", "lo", "up");
            run(ip, "-n", ns, "addr", "add", address(h) + "/24", "dev", inside);
            run(ip, "-n", ns, "link", "set", inside, "up");
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        release(lock);
    }

    /** Waits (bounded) until no other process on this machine holds namespace hosts; the OS frees the lock if one dies. */
    private static FileChannel lockMachineWide() {
        FileChannel channel;
        try {
            channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + LOCK_FILE + ": " + e.getMessage(), e);
        }
        // FileChannel.lock has no timeout of its own: closing the channel ends the wait.
        CompletableFuture<FileLock> locked = CompletableFuture.supplyAsync(() -> {
            try {
                return channel.lock();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            locked.get(LOCK_WAIT_MINUTES, TimeUnit.MINUTES);
            return channel;
        } catch (TimeoutException e) {
            release(channel);
            throw new IllegalStateException("another process held the namespace hosts' lock " + LOCK_FILE + " for over "
                    + LOCK_WAIT_MINUTES + " minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(channel);
            throw new IllegalStateException("interrupted waiting for " + LOCK_FILE, e);
        } catch (ExecutionException e) {
            release(channel);
            throw new IllegalStateException("cannot lock " + LOCK_FILE + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void release(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close(); // releases the lock with it
        } catch (IOException e) {
            System.err.println("closing " + LOCK_FILE + ": " + e.getMessage());
        }
    }

    private synchronized void cleanUp() {
        // The namespaces take their routes with them; removed first all the same, so that a failed
        // namespace deletion leaves no host cut off.
        List<String> failures = new ArrayList<>(removePartitionRoutes());
        while (!undo.isEmpty()) {
            List<String> cmd = undo.pop();
            try {
                run(cmd.toArray(String[]::new));
            } catch (IllegalStateException e) {
                // A veth goes away with its namespace; anything else left is reported.
                if (!String.valueOf(e.getMessage()).contains("Cannot find device")) {
                    failures.add(e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            System.err.println("namespace clean-up left something behind: " + failures);
        }
    }

    private static String findIp() {
        for (Path p : IP_BINARIES) {
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("the 'ip' command (Debian package iproute2) is not installed; this test creates network "
                + "namespaces with it: install it as root with 'apt-get install -y iproute2'");
    }

    /** A 10.x.y.0/24 that no route of this machine covers yet, from a fixed list. */
    private static String pickSubnet(String ip) {
        String routes = run(ip, "-4", "route", "show", "table", "all") + run(ip, "-4", "addr", "show");
        for (int y = 77; y < 97; y++) {
            String prefix = "10.213." + y;
            if (!routes.contains(prefix + ".") && !routes.contains("10.0.0.0/8") && !routes.contains("10.213.0.0/16")) {
                return prefix;
            }
        }
        throw new IllegalStateException("every candidate subnet 10.213.77-96.0/24 is already in use on this machine");
    }

    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 30 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed with exit " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", cmd) + " interrupted", e);
        }
    }
}
