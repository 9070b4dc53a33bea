package chorus.bench.harness;

import chorus.api.config.Coordination;
import chorus.api.rmi.TimeoutClientSocketFactory;
import chorus.server.storage.RocksNative;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The floor under any replicated write on this machine: the round trip of an empty RMI call on
 * loopback (with the same timeout sockets Chorus uses) and one synced write of the storage engine
 * (RocksDB, {@code sync=true}, a 100-byte value), each as a median of many.
 *
 * <p>It also measures what the floor leaves out: a PREPARE round makes every peer sync at the same
 * moment, and the five replicas of this machine share one disk. So the harness also times the
 * slowest of {@code peers} synced writes made at once, each to its own RocksDB (as each replica has
 * its own), and from it the least a client's PUT can take under Chorus's protocol with no
 * processing at all ({@link Result#protocolBoundMillis(Coordination)}).
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

    /**
     * @param concurrentSyncNanos per round, the slowest of {@code concurrentWriters} synced writes
     *                            started together, each to its own database in the same file system
     */
    public record Result(Histogram rmiNanos, Histogram syncNanos, Histogram concurrentSyncNanos, int concurrentWriters) {
        public double rmiMillis() {
            return rmiNanos.getValueAtPercentile(50) / 1e6;
        }

        public double syncMillis() {
            return syncNanos.getValueAtPercentile(50) / 1e6;
        }

        /** The slowest of {@link #concurrentWriters()} synced writes made at once (median over rounds). */
        public double concurrentSyncMillis() {
            return concurrentSyncNanos.getValueAtPercentile(50) / 1e6;
        }

        /** Two round trips and two synced writes, in milliseconds. */
        public double floorMillis() {
            return 2 * rmiMillis() + 2 * syncMillis();
        }

        /**
         * The least a single client's PUT can take here under Chorus's protocol, with zero
         * processing, when writes are coordinated as {@code mode} says: the round trips of {@link
         * #boundRoundTrips(Coordination)} and the PREPARE round's synced writes at every member at
         * once, the coordinator's own among them. The coordinator answers at the commit point (under
         * parallel commit: every YES in, each a durable prepare; its COMMIT record written without a
         * sync), so neither a COMMIT record's sync nor the decision round is part of it.
         */
        public double protocolBoundMillis(Coordination mode) {
            return boundRoundTrips(mode).size() * rmiMillis() + concurrentSyncMillis();
        }
    }

    /**
     * The round trips a client's PUT waits for, in order, under {@code mode}: the client's call, the
     * step that takes the locks at the lock primary, and the PREPARE round. Under {@code receiver}
     * the coordinator calls LOCK at the primary; under {@code leader} a client of another replica
     * pays the forward to the leader instead, which takes the locks in place as the lock primary (a
     * client of the leader skips that call: two round trips).
     */
    public static List<String> boundRoundTrips(Coordination mode) {
        return mode == Coordination.LEADER
                ? List.of("the client's call", "the forward to the leader", "the PREPARE round")
                : List.of("the client's call", "LOCK at the lock primary", "the PREPARE round");
    }

    private Floor() {
    }

    public static Result measure(Path dir, int rmiCalls, int syncedWrites, int peers) throws IOException, InterruptedException {
        return new Result(rmiRoundTrip(rmiCalls), syncedWrite(dir.resolve("one"), syncedWrites),
                concurrentSyncedWrites(dir, peers, syncedWrites), peers);
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
        Histogram h = histogram();
        try (SyncedWriter writer = new SyncedWriter(dir)) {
            int warmup = Math.max(10, writes / 10);
            for (int i = 0; i < warmup + writes; i++) {
                long nanos = writer.write(i);
                if (i >= warmup) {
                    h.recordValue(Math.min(nanos, h.getHighestTrackableValue()));
                }
            }
        }
        return h;
    }

    /**
     * {@code writers} threads, each with its own database under {@code dir}, make one synced write
     * each per round, released together; a round counts as long as its slowest write, since a
     * coordinator waits for every vote.
     */
    static Histogram concurrentSyncedWrites(Path dir, int writers, int rounds) throws IOException, InterruptedException {
        Histogram h = histogram();
        int warmup = Math.max(10, rounds / 10);
        long[] nanos = new long[writers];
        // Both barriers time out: a writer stuck in the file system must not hang the harness.
        CyclicBarrier start = new CyclicBarrier(writers);
        AtomicInteger round = new AtomicInteger();
        CyclicBarrier done = new CyclicBarrier(writers, () -> {
            if (round.getAndIncrement() >= warmup) {
                h.recordValue(Math.min(Arrays.stream(nanos).max().orElseThrow(), h.getHighestTrackableValue()));
            }
        });
        List<SyncedWriter> opened = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int w = 0; w < writers; w++) {
                opened.add(new SyncedWriter(dir.resolve("concurrent-" + w)));
            }
            List<Future<Void>> all = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int me = w;
                SyncedWriter writer = opened.get(w);
                all.add(pool.submit(() -> {
                    try {
                        for (int i = 0; i < warmup + rounds; i++) {
                            start.await(10, TimeUnit.SECONDS);
                            nanos[me] = writer.write(i);
                            done.await(10, TimeUnit.SECONDS);
                        }
                        return null;
                    } catch (Exception e) {
                        // Release the other writers at once instead of at their barrier's timeout.
                        start.reset();
                        done.reset();
                        throw e;
                    }
                }));
            }
            Throwable failure = null;
            for (Future<Void> f : all) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // A broken barrier only says that another writer failed first: report that one.
                    if (failure == null || failure instanceof BrokenBarrierException) {
                        failure = e.getCause();
                    }
                }
            }
            if (failure != null) {
                throw new IOException(writers + " concurrent synced writers in " + dir + " failed: " + failure, failure);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            opened.forEach(SyncedWriter::close);
        }
        return h;
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    }

    /** One RocksDB that times synced puts of a 100-byte value under fresh keys. */
    private static final class SyncedWriter implements AutoCloseable {
        private final byte[] value = new byte[100];
        private final Options options;
        private final WriteOptions sync;
        private final RocksDB db;
        private final Path dir;

        SyncedWriter(Path dir) throws IOException {
            this.dir = dir;
            Files.createDirectories(dir);
            ThreadLocalRandom.current().nextBytes(value);
            RocksNative.load();
            options = new Options().setCreateIfMissing(true);
            sync = new WriteOptions().setSync(true);
            try {
                db = RocksDB.open(options, dir.toString());
            } catch (RocksDBException e) {
                sync.close();
                options.close();
                throw new IOException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
            }
        }

        /** Nanoseconds that one synced put took. */
        long write(int i) throws IOException {
            byte[] key = ("floor-" + i).getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            try {
                db.put(sync, key, value);
            } catch (RocksDBException e) {
                throw new IOException("synced write in " + dir + " failed: " + e.getMessage(), e);
            }
            return System.nanoTime() - t0;
        }

        @Override
        public void close() {
            db.close();
            sync.close();
            options.close();
        }
    }
}
