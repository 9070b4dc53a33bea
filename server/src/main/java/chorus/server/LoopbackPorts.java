package chorus.server;

import chorus.api.config.ReplicaAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports that are free on loopback, for clusters started by tests, the chaos run and the benchmarks.
 *
 * <p>A port picked by the kernel ({@code new ServerSocket(0)}) comes from its ephemeral range, the
 * same range it draws the local ports of outgoing connections from: between the probe and the
 * replica's bind, any process's next connection may take it, and two JVMs probing at once may pick
 * the same one (both happened in two-fork test runs). So ports come from below the ephemeral range
 * instead, in blocks of {@value #BLOCK} that one JVM holds for its lifetime by an OS file lock in
 * the temporary directory (released by the kernel when the JVM ends, however it ends). Within its
 * block a JVM hands ports out in turn, each checked free by binding it. Where no block can be had
 * (no range below the ephemeral one, or no lock file), ports are picked by the kernel as before.
 */
public final class LoopbackPorts {

    static final int BLOCK = 200;
    /** The lowest port handed out: above the registered ports that services commonly use. */
    static final int FLOOR = 20_000;

    private LoopbackPorts() {
    }

    /** {@code n} distinct ports that are free on loopback now. */
    public static synchronized List<Integer> free(int n) {
        Block b = ThisJvm.BLOCK;
        if (b == null) {
            return kernelPicked(n);
        }
        List<Integer> ports = new ArrayList<>();
        for (int tried = 0; ports.size() < n; tried++) {
            if (tried >= BLOCK) {
                throw new UncheckedIOException(new IOException("no " + n + " free loopback ports in " + b.first + ".." + (b.first + BLOCK - 1)));
            }
            int port = b.next();
            if (isFree(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    /** Replicas 1..n on 127.0.0.1, each on a free port and serving HTTP on another. */
    public static List<ReplicaAddress> replicasWithHttp(int n) {
        List<Integer> ports = free(2 * n);
        List<ReplicaAddress> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new ReplicaAddress(i, "127.0.0.1", ports.get(i - 1), 0, ports.get(n + i - 1)));
        }
        return out;
    }

    /** Replicas 1..n on 127.0.0.1, each on a free port. */
    public static List<ReplicaAddress> replicas(int n) {
        List<Integer> ports = free(n);
        List<ReplicaAddress> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new ReplicaAddress(i, "127.0.0.1", ports.get(i - 1)));
        }
        return out;
    }

    /** This JVM's block, claimed on first use; null where none can be had. */
    private static final class ThisJvm {
        static final Block BLOCK = claim();
    }

    private static Block claim() {
        int ceiling = ephemeralLow();
        int blocks = (ceiling - FLOOR) / BLOCK;
        if (blocks < 1) {
            return null;
        }
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "chorus-ports-" + System.getProperty("user.name", "user"));
            Files.createDirectories(dir);
            // Start at a block chosen by the pid, so that JVMs started together try different ones first.
            int start = (int) (ProcessHandle.current().pid() % blocks);
            for (int i = 0; i < blocks; i++) {
                int index = (start + i) % blocks;
                FileChannel channel = FileChannel.open(dir.resolve("block-" + index + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    // Held, with its channel, until the JVM ends.
                    return new Block(FLOOR + index * BLOCK, channel, lock);
                }
                channel.close();
            }
        } catch (IOException | RuntimeException e) {
            // No lock file here: the kernel picks, as it always did.
        }
        return null;
    }

    /** The low end of the kernel's range of ephemeral ports (Linux), or its default where unreadable. */
    static int ephemeralLow() {
        // Read as a stream: Files.readString trusts the size that /proc reports, and read "3" of "32768".
        try (java.io.BufferedReader in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            String line = in.readLine();
            return Integer.parseInt(line.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Integer> kernelPicked(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // it was only held to reserve the number
                }
            }
        }
    }

    /** Ports {@code first .. first + BLOCK - 1}, handed out in turn. */
    private static final class Block {
        final int first;
        @SuppressWarnings("unused") // held so that the lock stays
        final FileChannel channel;
        @SuppressWarnings("unused")
        final FileLock lock;
        int offset;

        Block(int first, FileChannel channel, FileLock lock) {
            this.first = first;
            this.channel = channel;
            this.lock = lock;
        }

        int next() {
            int port = first + offset;
            offset = (offset + 1) % BLOCK;
            return port;
        }
    }
}
