package chorus.server.http;

import chorus.api.KeyValueService;
import chorus.api.config.ConnectionLimits;
import chorus.api.config.ReplicaAddress;
import chorus.server.protocol.ReplicaNode;
import chorus.server.transport.KeyValueEndpoint;
import chorus.server.transport.LocalAdmin;
import java.io.IOException;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's HTTP/JSON API (docs/http.md): an embedded Jetty on the replica's HTTP port, beside
 * RMI, over the same client service. Jetty because it is the long-kept embedded server of the Java
 * world, runs on Java 17, gives TLS from the cluster's own SSLContext and bounds its threads and
 * connections; its core handlers need no servlet layer, so it adds three small jars and no others.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** Threads that may wait on the protocol at once; further requests queue for one. */
    private static final int MAX_THREADS = 64;

    private final Server server;
    private final ServerConnector connector;
    private final ChangeFeed feed;

    private HttpApi(Server server, ServerConnector connector, ChangeFeed feed) {
        this.server = server;
        this.connector = connector;
        this.feed = feed;
    }

    /**
     * Starts serving on {@code address}'s host and HTTP port.
     *
     * @param tls the cluster's TLS context (HTTPS), or null for plain HTTP
     * @param admin the replica's admin calls, with the operator gate of its RMI side
     */
    public static HttpApi start(ReplicaNode node, SSLContext tls, ConnectionLimits limits, LocalAdmin admin) throws IOException {
        ReplicaAddress address = node.address();
        KeyValueService kv = KeyValueEndpoint.of(node);
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName("replica-" + address.id() + "-http");
        threads.setIdleTimeout(10_000); // a burst's extra threads go within seconds of it

        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        // A key is the raw path after /v1/kv/, decoded by KeyPath, which refuses bad escapes and bad
        // UTF-8 itself with a problem that names them; so Jetty lets through what it would call
        // ambiguous in a file path: %2F (a slash in a key), %25, empty and dot segments, ';'.
        config.setUriCompliance(UriCompliance.DEFAULT.with("CHORUS_KEYS", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING, UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
                UriCompliance.Violation.BAD_PERCENT_ENCODING, UriCompliance.Violation.BAD_UTF8_ENCODING,
                UriCompliance.Violation.TRUNCATED_UTF8_ENCODING, UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
        ServerConnector connector;
        if (tls != null) {
            config.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            // Mutual TLS, as on the RMI ports: only holders of a certificate of the cluster's CA.
            ssl.setNeedClientAuth(true);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(config));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(config));
        }
        connector.setHost(address.host());
        connector.setPort(address.httpPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        ChangeFeed feed = new ChangeFeed(node);
        server.setHandler(new KvHandler(node, kv, new AdminRoutes(node.address().id(), admin), new Health(node), new PrometheusMetrics(node), feed));
        server.setErrorHandler(new ProblemErrorHandler(address.id()));
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            feed.close();
            stopQuietly(server);
            throw new IOException("replica " + address.id() + " cannot serve HTTP on " + address.host() + ":" + address.httpPort()
                    + ": " + e.getMessage(), e);
        }
        LOG.info("HTTP/JSON API on {}://{}:{} (docs/http.md)", tls != null ? "https" : "http", address.host(), connector.getLocalPort());
        return new HttpApi(server, connector, feed);
    }

    /** The port actually bound. */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        feed.close(); // ends every watch, which would otherwise hold the stop for its keep-alive
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        }
    }
}
