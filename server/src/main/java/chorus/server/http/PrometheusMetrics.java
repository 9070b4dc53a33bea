package chorus.server.http;

import chorus.api.model.AbortCause;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.Role;
import chorus.api.model.View;
import chorus.server.protocol.ReplicaMetrics;
import chorus.server.protocol.ReplicaNode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The replica's metrics in the Prometheus text format, for {@code GET /metrics}. Counts and gauges
 * are read from the replica at each scrape; the times of the protocol's phases come from its event
 * log, whose events carry how long each step took, so the protocol knows nothing of Prometheus.
 * Names follow Prometheus's conventions: a {@code chorus_} prefix, base units, {@code _total} on
 * counters, {@code _seconds} on times.
 */
final class PrometheusMetrics {

    /** Bucket bounds for protocol phases: 0.5 ms to about 16 s, doubling. */
    private static final double[] PHASE_BUCKETS = exponential(0.0005, 2, 16);
    /** Bucket bounds for synced writes, which a fast disk does in tens of microseconds: 25 µs to about 3 s. */
    private static final double[] SYNC_BUCKETS = exponential(0.000025, 2, 18);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram vote;
    private final Histogram decision;
    private final Histogram answer;
    private final Histogram ack;
    private final Histogram allAcks;
    private final Counter peerTimeouts;
    private final Counter peerUnreachable;
    private final Counter viewChanges;
    private final ReplicaNode node;
    /** Set for the length of one scrape, by the scraping thread (scrapes are serialized). */
    private ReplicaStatus status;

    PrometheusMetrics(ReplicaNode node) {
        this.node = node;
        ReplicaMetrics m = node.metrics();
        CounterWithCallback.builder().name("chorus_transactions_total")
                .help("Transactions this replica coordinated, by outcome; an aborted attempt that was retried counts once per attempt")
                .labelNames("outcome")
                .callback(cb -> {
                    cb.call(m.commits(), "committed");
                    cb.call(m.aborts(), "aborted");
                }).register(registry);
        CounterWithCallback.builder().name("chorus_aborts_total")
                .help("Aborted attempts of transactions this replica coordinated, by cause")
                .labelNames("cause")
                .callback(cb -> {
                    for (AbortCause c : AbortCause.values()) {
                        cb.call(m.aborts(c), c.name().toLowerCase(java.util.Locale.ROOT));
                    }
                }).register(registry);
        CounterWithCallback.builder().name("chorus_vote_timeouts_total")
                .help("Votes this replica's transactions did not receive in time")
                .callback(cb -> cb.call(m.timeouts())).register(registry);
        GaugeWithCallback.builder().name("chorus_transactions_in_flight")
                .help("Transactions this replica is coordinating now")
                .callback(cb -> cb.call(status().inFlight())).register(registry);
        GaugeWithCallback.builder().name("chorus_transactions_in_doubt")
                .help("Transactions held prepared here without a decision")
                .callback(cb -> cb.call(status().inDoubt())).register(registry);
        GaugeWithCallback.builder().name("chorus_keys")
                .help("Keys stored at this replica")
                .callback(cb -> cb.call(status().keyCount())).register(registry);
        GaugeWithCallback.builder().name("chorus_up")
                .help("1 while the replica serves (failure switch off, a member, storage writable), else 0")
                .callback(cb -> {
                    ReplicaStatus s = status();
                    boolean member = node.membership().current().isMember(node.address().id());
                    cb.call(!s.simulatedFailure() && member && !s.storageFailing() ? 1 : 0);
                }).register(registry);
        GaugeWithCallback.builder().name("chorus_view_epoch")
                .help("The epoch of the membership view this replica holds")
                .callback(cb -> cb.call(node.membership().current().epoch())).register(registry);
        GaugeWithCallback.builder().name("chorus_view_members")
                .help("Members of the current view (its write set)")
                .callback(cb -> {
                    View v = node.membership().current();
                    cb.call(v.members().size());
                }).register(registry);

        Histogram lock = phase("chorus_lock_seconds", "From a transaction's start to its keys locked at the lock primary, at the coordinator");
        Histogram sync = Histogram.builder().name("chorus_storage_sync_seconds")
                .help("Synced writes of this replica's storage (protocol records, commits), each from the call to its return, sync included")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(SYNC_BUCKETS).register(registry);
        m.listen(new ReplicaMetrics.PhaseListener() {
            @Override
            public void locked(long micros) {
                lock.observe(micros / 1e6);
            }

            @Override
            public void durableWrite(long micros) {
                sync.observe(micros / 1e6);
            }
        });
        vote = phase("chorus_vote_seconds", "From PREPARE to each replica's YES, at the coordinator", "peer");
        decision = phase("chorus_decision_seconds", "From a transaction's start to its durable decision (lock, votes, decision record)", "outcome");
        answer = phase("chorus_answer_seconds", "From a transaction's start to the client's answer (the commit point)");
        ack = phase("chorus_ack_seconds", "From sending a decision to each replica's acknowledgement", "peer");
        allAcks = phase("chorus_all_acks_seconds", "From the decision to the last replica's acknowledgement");
        peerTimeouts = Counter.builder().name("chorus_peer_timeouts_total")
                .help("Calls to a peer that timed out (a vote or an acknowledgement), by peer").labelNames("peer").register(registry);
        peerUnreachable = Counter.builder().name("chorus_peer_unreachable_total")
                .help("Calls to a peer that could not reach it, by peer").labelNames("peer").register(registry);
        viewChanges = Counter.builder().name("chorus_view_changes_total")
                .help("Membership views this replica learned").register(registry);
        // Every series a dashboard draws exists from the start, at zero: a panel of timeouts by
        // peer shows each peer before its first timeout, and rate() has a start to count from.
        for (chorus.api.config.ReplicaAddress r : node.cluster().replicas()) {
            String peer = String.valueOf(r.id());
            vote.labelValues(peer);
            ack.labelValues(peer);
            peerTimeouts.labelValues(peer);
            peerUnreachable.labelValues(peer);
        }
        decision.labelValues("committed");
        decision.labelValues("aborted");
        JvmMetrics.builder().register(registry);
        node.events().listen(this::heard);
    }

    private Histogram phase(String name, String help, String... labels) {
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).classicOnly().classicUpperBounds(PHASE_BUCKETS)
                .labelNames(labels).register(registry);
    }

    private void heard(ProtocolEvent e) {
        double seconds = e.elapsedMicros() / 1e6;
        if (e.role() != Role.COORDINATOR) {
            if (e.type() == chorus.api.model.EventType.VIEW_CHANGED) {
                viewChanges.inc();
            }
            return;
        }
        String peer = String.valueOf(e.peer());
        switch (e.type()) {
            case PREPARED -> observe(vote.labelValues(peer), seconds);
            case COMMITTED -> observe(decision.labelValues("committed"), seconds);
            case ABORTED -> observe(decision.labelValues("aborted"), seconds);
            case ANSWERED -> observe(answer, seconds);
            case ACKNOWLEDGED -> observe(ack.labelValues(peer), seconds);
            case ALL_ACKNOWLEDGED -> observe(allAcks, seconds);
            case TIMED_OUT -> {
                if (e.peer() > 0) {
                    peerTimeouts.labelValues(peer).inc();
                }
            }
            case UNREACHABLE -> peerUnreachable.labelValues(peer).inc();
            case VIEW_CHANGED -> viewChanges.inc();
            default -> {
            }
        }
    }

    private static void observe(io.prometheus.metrics.core.datapoints.DistributionDataPoint h, double seconds) {
        if (seconds >= 0) {
            h.observe(seconds);
        }
    }

    String contentType() {
        return writer.getContentType();
    }

    /**
     * One scrape at a time, each reading the replica's status once for all the gauges that show
     * parts of it (rather than once per gauge, each a walk over its transactions).
     */
    synchronized byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        status = node.status();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            status = null;
        }
        return out.toByteArray();
    }

    /** The status read for the scrape under way (the callbacks run inside it). */
    private ReplicaStatus status() {
        ReplicaStatus s = status;
        return s != null ? s : node.status();
    }

    private static double[] exponential(double start, double factor, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = start * Math.pow(factor, i);
        }
        return out;
    }
}
