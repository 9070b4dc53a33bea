package chorus.bench.harness;

import chorus.api.rmi.TimeoutClientSocketFactory;
import chorus.server.storage.RocksNative;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The floor under any replicated write on this machine: the round trip of an empty RMI call on
 * loopback (with the same timeout sockets Chorus uses) and one synced write of the storage engine
 * (RocksDB, {@code sync=true}, a 100-byte value), each as a median of many.
 */
public final class Floor {

    /** An RMI call that does nothing: what is left is the transport. */
    public interface Ping extends Remote {
        void ping() throws RemoteException;
    }

    private static final class Pong implements Ping {
        @Override
        public void ping() {
        }
    }

    /** Loopback-only server sockets. */
    private record LoopbackSockets() implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }
    }

    public record Result(Histogram rmiNanos, Histogram syncNanos) {
        public double rmiMillis() {
            return rmiNanos.getValueAtPercentile(50) / 1e6;
        }

        public double syncMillis() {
            return syncNanos.getValueAtPercentile(50) / 1e6;
        }

        /** Two round trips and two synced writes, in milliseconds. */
        public double floorMillis() {
            return 2 * rmiMillis() + 2 * syncMillis();
        }
    }

    private Floor() {
    }

    public static Result measure(Path dir, int rmiCalls, int syncedWrites) throws IOException {
        return new Result(rmiRoundTrip(rmiCalls), syncedWrite(dir, syncedWrites));
    }

    static Histogram rmiRoundTrip(int calls) throws RemoteException {
        Pong pong = new Pong();
        Ping stub = (Ping) UnicastRemoteObject.exportObject(pong, 0, new TimeoutClientSocketFactory(1000, 15000),
                new LoopbackSockets());
        try {
            for (int i = 0; i < calls; i++) {
                stub.ping(); // warm-up: the JIT on both ends, the connection opened
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                stub.ping();
                h.recordValue(Math.min(System.nanoTime() - t0, h.getHighestTrackableValue()));
            }
            return h;
        } finally {
            UnicastRemoteObject.unexportObject(pong, true);
        }
    }

    static Histogram syncedWrite(Path dir, int writes) throws IOException {
        Files.createDirectories(dir);
        byte[] value = new byte[100];
        ThreadLocalRandom.current().nextBytes(value);
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        RocksNative.load();
        try (Options options = new Options().setCreateIfMissing(true);
             WriteOptions sync = new WriteOptions().setSync(true);
             RocksDB db = RocksDB.open(options, dir.toString())) {
            int warmup = Math.max(10, writes / 10);
            for (int i = 0; i < warmup + writes; i++) {
                byte[] key = ("floor-" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                long t0 = System.nanoTime();
                db.put(sync, key, value);
                if (i >= warmup) {
                    h.recordValue(Math.min(System.nanoTime() - t0, h.getHighestTrackableValue()));
                }
            }
        } catch (RocksDBException e) {
            throw new IOException("synced writes in " + dir + " failed: " + e.getMessage(), e);
        }
        return h;
    }
}
