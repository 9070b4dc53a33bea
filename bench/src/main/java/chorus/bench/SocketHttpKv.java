package chorus.bench;

import chorus.api.ChorusException;
import chorus.api.config.ReplicaAddress;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The HTTP API through the leanest client there is: one kept-alive HTTP/1.1 connection on a plain
 * socket, a request written in one piece, the answer read by its Content-Length (or chunks). What
 * it times is the replica's HTTP path and the network, without a client library's own hand-offs
 * between threads (the JDK's {@code HttpClient} runs each exchange through its selector thread).
 * Plain HTTP only.
 */
final class SocketHttpKv implements PutLatency.KvApi {

    private final String host;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SocketHttpKv(String host, Socket socket) throws IOException {
        this.host = host;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    static SocketHttpKv to(ReplicaAddress a, Duration connect, Duration read) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(a.host(), a.httpPort()), (int) connect.toMillis());
        s.setSoTimeout((int) read.toMillis());
        return new SocketHttpKv(a.host() + ":" + a.httpPort(), s);
    }

    @Override
    public void put(String key, String value) throws ChorusException, IOException {
        byte[] body = value.getBytes(StandardCharsets.UTF_8);
        exchange("PUT", key, body);
    }

    @Override
    public void get(String key) throws ChorusException, IOException {
        exchange("GET", key, null);
    }

    private void exchange(String method, String key, byte[] body) throws ChorusException, IOException {
        String path = "/v1/kv/" + PutLatency.escaped(key);
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\n");
        if (body != null) {
            head.append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = body == null ? h : concat(h, body);
        out.write(request);
        out.flush();
        int status = readResponse();
        if (status != 200) {
            throw new ChorusException("HTTP " + status + " for " + method + " " + path);
        }
    }

    /** Reads one response to its end; returns its status. */
    private int readResponse() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String v = l.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(v);
            } else if (name.equals("transfer-encoding") && v.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0; size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                skip(size);
                line();
            }
            for (String l = line(); !l.isEmpty(); l = line()) {
                // trailers
            }
        } else if (length > 0) {
            skip(length);
        }
        return status;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the replica closed the connection mid-answer");
                }
                s = 1;
            }
            n -= s;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the replica closed the connection");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    void close() throws IOException {
        socket.close();
    }
}
