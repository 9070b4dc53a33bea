package chorus.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.AbortCause;
import chorus.api.model.KeyEntry;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history checks on small hand-made histories: each one passes a clean history and catches its anomaly. */
class HistoryChecksTest {

    private final List<History.Op> ops = new ArrayList<>();

    private void write(int id, History.Status status, AbortCause cause, Map<String, Long> versions, long from, long to,
                       Mutation... mutations) {
        ops.add(new History.Op(id, 1, 1, mutations.length > 1 ? History.Kind.BATCH : History.Kind.PUT, null, List.of(mutations),
                from, status == History.Status.INFO ? KeyOp.UNKNOWN : to, status, null, versions, cause, ""));
    }

    private void read(int id, String key, String value, long version, long from, long to) {
        ops.add(new History.Op(id, 2, 1, History.Kind.READ, key, List.of(), from, to, History.Status.OK,
                new ReadResult(key, value != null, value, version, 1), Map.of(), null, null));
    }

    private static Map<Integer, Map<String, KeyEntry>> replicas(String a, long va, String b, long vb) {
        return Map.of(1, Map.of("a", new KeyEntry("a", a, va, null), "b", new KeyEntry("b", b, vb, null)),
                2, Map.of("a", new KeyEntry("a", a, va, null), "b", new KeyEntry("b", b, vb, null)));
    }

    @Test
    void aBatchBecomesOneOperationPerKeyWithThatKeysVersion() {
        write(1, History.Status.OK, null, Map.of("a", 1L, "b", 1L), 0, 10, Mutation.put("a", "x"), Mutation.delete("b"));
        write(2, History.Status.INFO, null, Map.of(), 20, 0, Mutation.put("a", "y"), Mutation.put("b", "y"));
        HistoryChecks checks = new HistoryChecks(ops, List.of("a", "b"), 10_000);
        assertThat(checks.project("a")).extracting(KeyOp::kind, KeyOp::value, KeyOp::version, KeyOp::unknown)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(KeyOp.Kind.WRITE, "x", 1L, false),
                        org.assertj.core.groups.Tuple.tuple(KeyOp.Kind.WRITE, "y", -1L, true));
        assertThat(checks.project("b").get(0).present()).isFalse();
    }

    @Test
    void aCleanHistoryHasNoAnomalies() {
        write(1, History.Status.OK, null, Map.of("a", 1L, "b", 1L), 0, 10, Mutation.put("a", "x"), Mutation.put("b", "x"));
        write(2, History.Status.FAIL, AbortCause.TIMEOUT, Map.of(), 20, 30, Mutation.put("a", "never"));
        read(3, "a", "x", 1, 40, 50);
        HistoryChecks checks = new HistoryChecks(ops, List.of("a", "b"), 10_000);
        assertThat(checks.linearizability()).isEmpty();
        assertThat(checks.durabilityAndAtomicity(replicas("x", 1, "x", 1))).isEmpty();
        assertThat(HistoryChecks.identical(replicas("x", 1, "x", 1))).isEmpty();
    }

    @Test
    void anAbortedValueSeenByAReadOrLeftOnAReplicaIsReported() {
        write(1, History.Status.FAIL, AbortCause.TIMEOUT, Map.of(), 0, 10, Mutation.put("a", "aborted"));
        read(2, "a", "aborted", 1, 20, 30);
        HistoryChecks checks = new HistoryChecks(ops, List.of("a", "b"), 10_000);
        assertThat(checks.durabilityAndAtomicity(replicas("aborted", 1, null, 0))).extracting(Anomaly::check)
                .containsOnly("aborted write visible").hasSize(3); // the read and both replicas
        assertThat(checks.linearizability()).extracting(Anomaly::check).containsExactly("linearizability");
    }

    @Test
    void aReplicaBehindAnAcknowledgedVersionIsALostWrite() {
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        write(2, History.Status.OK, null, Map.of("a", 2L), 20, 30, Mutation.put("a", "y"));
        HistoryChecks checks = new HistoryChecks(ops, List.of("a", "b"), 10_000);
        assertThat(checks.durabilityAndAtomicity(replicas("x", 1, null, 0))).extracting(Anomaly::check)
                .containsOnly("acknowledged write lost");
    }

    @Test
    void replicasThatDifferAreReportedKeyByKey() {
        Map<Integer, Map<String, KeyEntry>> finals = Map.of(1, Map.of("a", new KeyEntry("a", "x", 1, null)),
                2, Map.of("a", new KeyEntry("a", "y", 1, null)));
        assertThat(HistoryChecks.identical(finals)).singleElement()
                .satisfies(a -> assertThat(a.witness()).containsExactly("replicas [1]: 'x' v1", "replicas [2]: 'y' v1"));
    }
}
