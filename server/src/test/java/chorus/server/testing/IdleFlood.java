package chorus.server.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Idle connections to one replica, as a careless or hostile process on the host would hold them:
 * each connects, does RMI's handshake as a real client does (so the replica treats it as an RMI
 * connection waiting for its first call) and then sends nothing. Each ends up held (the replica
 * took it), refused (the replica's refusal line arrived; the line and the time are kept), or failed
 * (connect timeout and the like, counted by message).
 */
public final class IdleFlood implements AutoCloseable {

    /** sun.rmi.transport.TransportConstants: magic "JRMI", version 2, StreamProtocol; ProtocolAck. */
    private static final byte[] HEADER = {'J', 'R', 'M', 'I', 0, 2, 0x4B};
    private static final int PROTOCOL_ACK = 0x4E;

    private final List<Socket> held = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> refusals = Collections.synchronizedMap(new TreeMap<>());
    private final Map<String, Integer> failures = Collections.synchronizedMap(new TreeMap<>());
    private final List<Long> refusalNanos = Collections.synchronizedList(new ArrayList<>());

    private IdleFlood() {
    }

    /**
     * Opens {@code count} connections to {@code host:port} from {@code threads} threads, each waiting
     * at most {@code timeout} to connect and for the replica's first answer.
     */
    public static IdleFlood open(String host, int port, int count, int threads, Duration timeout) throws InterruptedException {
        IdleFlood flood = new IdleFlood();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        flood.connect(host, port, Math.toIntExact(timeout.toMillis()));
                    }
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a flood thread failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return flood;
    }

    private void connect(String host, int port, int timeoutMillis) {
        Socket s = new Socket();
        long start = System.nanoTime();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.write(HEADER);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int first = in.read();
            if (first == PROTOCOL_ACK) {
                in.readUTF(); // the host the replica sees us as
                in.readInt();
                out.writeUTF("");
                out.writeInt(0);
                out.flush();
                held.add(s);
                return;
            }
            String answer = first < 0 ? "" : (char) first + readLine(in);
            s.close();
            if (answer.startsWith("CHORUS-REFUSED")) {
                refusalNanos.add(System.nanoTime() - start);
                refusals.merge(answer.strip(), 1, Integer::sum);
            } else {
                failures.merge(first < 0 ? "closed without an answer" : "unexpected answer: " + answer.strip(), 1, Integer::sum);
            }
        } catch (IOException e) {
            closeQuietly(s);
            failures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n' && sb.length() < 512; c = in.read()) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    public int held() {
        return held.size();
    }

    public int refused() {
        return refusalNanos.size();
    }

    public int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Refusal line to how many got it. */
    public Map<String, Integer> refusals() {
        synchronized (refusals) {
            return Map.copyOf(refusals);
        }
    }

    /** Failure to how many met it. */
    public Map<String, Integer> failures() {
        synchronized (failures) {
            return Map.copyOf(failures);
        }
    }

    /** The longest a refused connection waited, from connect to the end of the refusal line. */
    public Duration slowestRefusal() {
        synchronized (refusalNanos) {
            return Duration.ofNanos(refusalNanos.stream().mapToLong(Long::longValue).max().orElse(0));
        }
    }

    /**
     * Waits up to {@code timeout} for the replica to close the held connections (reading each until
     * its end) and returns how many it closed; those still open stay held.
     */
    public int awaitClosedByReplica(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int closed = 0;
        List<Socket> all;
        synchronized (held) {
            all = new ArrayList<>(held);
        }
        for (Socket s : all) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                s.setSoTimeout(Math.toIntExact(left));
                if (s.getInputStream().read() < 0) {
                    closed++;
                    held.remove(s);
                    s.close();
                }
            } catch (java.net.SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                // reset by the replica: closed as well
                closed++;
                held.remove(s);
                closeQuietly(s);
            }
        }
        return closed;
    }

    @Override
    public void close() {
        synchronized (held) {
            held.forEach(IdleFlood::closeQuietly);
            held.clear();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One line: held, refused (with the slowest), failed, and the distinct refusal lines and failures. */
    public String summary() {
        return held() + " held, " + refused() + " refused (slowest " + slowestRefusal().toMillis() + " ms), " + failed() + " failed"
                + (refusals().isEmpty() ? "" : "; refusals " + refusals()) + (failures().isEmpty() ? "" : "; failures " + failures());
    }
}
