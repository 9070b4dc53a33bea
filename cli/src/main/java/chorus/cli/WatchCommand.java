package chorus.cli;

import chorus.api.config.ReplicaAddress;
import chorus.api.rmi.TlsSockets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", header = "Committed changes of keys under a prefix, as they happen (HTTP).", mixinStandardHelpOptions = true,
        description = {
            "Prints one line per committed change of a key that starts with PREFIX, tab-separated:",
            "ID TYPE KEY VALUE VERSION TX",
            "(TYPE put or delete, VALUE - for a delete; ID is the replica's apply sequence number).",
            "Reads the replica's HTTP watch stream (replica.N.http-port in the cluster file;",
            "docs/http.md). A broken stream is reopened after the last ID printed, so nothing",
            "is missed that the replica still holds; runs until interrupted or --count changes."})
final class WatchCommand extends KvCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = "", paramLabel = "PREFIX", description = "Key prefix (default: every key).")
    String prefix;

    @Option(names = "--after", paramLabel = "ID", description = "Start after this change id of the replica (default: from now).")
    Long after;

    @Option(names = "--count", paramLabel = "N", description = "Exit 0 after N changes.")
    Long count;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The replica sends a keep-alive every 10 s; silence for this long means the stream is dead. */
    private static final Duration READ_SILENCE = Duration.ofSeconds(30);
    private static final long REOPEN_PAUSE_MILLIS = 1000;

    @Override
    void validate() throws CliException {
        if (after != null && after < 0) {
            throw CliException.usage("--after must not be negative, was " + after);
        }
        if (count != null && count < 1) {
            throw CliException.usage("--count must be at least 1, was " + count);
        }
    }

    @Override
    int run(ClusterClient client) throws CliException {
        Target target = client.identifiedTarget();
        int id = target.id().getAsInt();
        ReplicaAddress address = client.callWithin(target, client.adminWait(), c -> c.admin().membership()).require(id);
        if (!address.servesHttp()) {
            throw new CliException(ExitCodes.USAGE, target.label() + " serves no HTTP (replica." + id
                    + ".http-port is not set in its cluster file); kv watch reads the HTTP watch stream");
        }
        boolean tls = client.security().tls();
        HttpClient http = (tls ? HttpClient.newBuilder().sslContext(TlsSockets.load(client.security())) : HttpClient.newBuilder())
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = (tls ? "https://" : "http://") + (address.host().contains(":") ? "[" + address.host() + "]" : address.host())
                + ":" + address.httpPort();
        URI uri = URI.create(base + "/v1/watch?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8));
        out().println("# ID\tTYPE\tKEY\tVALUE\tVERSION\tTX");
        out().flush();
        java.util.concurrent.ScheduledExecutorService silence = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "watch-silence");
            th.setDaemon(true);
            return th;
        });
        try {
            return follow(http, uri, target, after, silence);
        } finally {
            silence.shutdownNow();
        }
    }

    private int follow(HttpClient http, URI uri, Target target, Long after, java.util.concurrent.ScheduledExecutorService silence)
            throws CliException {
        Long last = after;
        long printed = 0;
        boolean opened = false;
        while (true) {
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream");
            if (last != null) {
                req.header("Last-Event-ID", String.valueOf(last));
            }
            try {
                HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
                    String detail = body;
                    try {
                        detail = JSON.readTree(body).path("detail").asText(body);
                    } catch (IOException e) {
                        // not JSON: the body as it is
                    }
                    throw new CliException(r.statusCode() == 400 ? ExitCodes.INVALID_INPUT : ExitCodes.FAILED,
                            target.label() + ": " + r.statusCode() + " " + detail);
                }
                if (opened) {
                    err().println("note: " + target.label() + " watch reopened" + (last != null ? " after change " + last : ""));
                    err().flush();
                }
                opened = true;
                InputStream body = r.body();
                long[] heard = {System.nanoTime()};
                // A paused replica sends nothing, not even its keep-alive: close the stream after
                // READ_SILENCE without a line, and reopen.
                java.util.concurrent.ScheduledFuture<?> watchdog = silence.scheduleAtFixedRate(() -> {
                    if (System.nanoTime() - heard[0] > READ_SILENCE.toNanos()) {
                        try {
                            body.close();
                        } catch (IOException e) {
                            // closing is all we wanted
                        }
                    }
                }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String event = null;
                    long eventId = -1;
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        heard[0] = System.nanoTime();
                        if (line.startsWith("id: ")) {
                            eventId = Long.parseLong(line.substring(4).trim());
                        } else if (line.startsWith("event: ")) {
                            event = line.substring(7).trim();
                        } else if (line.startsWith("data: ")) {
                            if ("truncated".equals(event)) {
                                throw new CliException(ExitCodes.FAILED, target.label() + ": "
                                        + JSON.readTree(line.substring(6)).path("detail").asText());
                            }
                            JsonNode d = JSON.readTree(line.substring(6));
                            out().println(eventId + "\t" + event + "\t" + Formats.escape(d.path("key").asText()) + "\t"
                                    + (d.path("value").isNull() ? "-" : Formats.escape(d.path("value").asText())) + "\t"
                                    + d.path("version").asLong() + "\t" + (d.path("tx").isNull() ? "-" : d.path("tx").asText()));
                            out().flush();
                            last = eventId;
                            if (count != null && ++printed >= count) {
                                return ExitCodes.OK;
                            }
                        }
                    }
                } finally {
                    watchdog.cancel(false);
                }
            } catch (IOException e) {
                if (!opened) {
                    throw new CliException(ExitCodes.UNREACHABLE, target.label() + ": cannot open its watch at " + uri + ": " + e.getMessage());
                }
                err().println("warning: " + target.label() + " watch broke off (" + e.getMessage() + "); reopening");
                err().flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.OK;
            }
            try {
                Thread.sleep(REOPEN_PAUSE_MILLIS); // then reopen after the last change printed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.OK;
            }
        }
    }
}
