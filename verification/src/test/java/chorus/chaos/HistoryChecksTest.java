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

/**
 * The history checks on small hand-made histories: for each rule, a history that breaks it is
 * reported with the anomaly of that rule's kind, and its nearest valid twin passes.
 */
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

    private void failedRead(int id, String key, long from, long to) {
        ops.add(new History.Op(id, 2, 1, History.Kind.READ, key, List.of(), from, to, History.Status.FAIL, null, Map.of(), null,
                "connection refused"));
    }

    private static Map<Integer, Map<String, KeyEntry>> replicas(String a, long va, String b, long vb) {
        return Map.of(1, Map.of("a", new KeyEntry("a", a, va, null), "b", new KeyEntry("b", b, vb, null)),
                2, Map.of("a", new KeyEntry("a", a, va, null), "b", new KeyEntry("b", b, vb, null)));
    }

    /** Key "a" only, possibly different per replica: value and version of replica 1, then of replica 2. */
    private static Map<Integer, Map<String, KeyEntry>> keyA(String v1, long version1, String v2, long version2) {
        return Map.of(1, Map.of("a", new KeyEntry("a", v1, version1, null)), 2, Map.of("a", new KeyEntry("a", v2, version2, null)));
    }

    private HistoryChecks checks() {
        return new HistoryChecks(ops, List.of("a", "b"), 10_000);
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
    void failedReadsAndWritesThatCertainlyTookNoEffectStayOutOfTheProjection() {
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        failedRead(2, "a", 20, 30);
        write(3, History.Status.FAIL, AbortCause.TIMEOUT, Map.of(), 40, 50, Mutation.put("a", "never"));
        // A refused batch does not say which of its conditional writes met another version.
        write(4, History.Status.FAIL, AbortCause.VERSION_MISMATCH, Map.of(), 60, 70, new Mutation.Put("a", "never", 5),
                Mutation.put("b", "never"));
        assertThat(checks().project("a")).extracting(KeyOp::id).containsExactly(1);
        assertThat(checks().project("b")).isEmpty();
    }

    @Test
    void aRefusedConditionalWriteThatCouldNotHaveMetAnotherVersionIsNotLinearizable() {
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        write(2, History.Status.FAIL, AbortCause.VERSION_MISMATCH, Map.of(), 20, 30, new Mutation.Put("a", "y", 1));
        assertThat(checks().project("a")).extracting(KeyOp::kind).containsExactly(KeyOp.Kind.WRITE, KeyOp.Kind.MISMATCH);
        assertThat(checks().linearizability()).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("linearizability");
            assertThat(a.message()).startsWith("key 'a' is not linearizable");
        });

        ops.clear();
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        write(2, History.Status.FAIL, AbortCause.VERSION_MISMATCH, Map.of(), 20, 30, new Mutation.Put("a", "y", 0));
        assertThat(checks().linearizability()).isEmpty();
    }

    @Test
    void aKeyWhoseHistoryIsNotLinearizableIsReportedWithItsSmallestWitness() {
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        write(2, History.Status.OK, null, Map.of("a", 2L), 20, 30, Mutation.put("a", "y"));
        read(3, "a", "x", 1, 40, 50);
        write(4, History.Status.OK, null, Map.of("b", 1L), 0, 10, Mutation.put("b", "z"));
        assertThat(checks().linearizability()).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("linearizability");
            assertThat(a.message()).startsWith("key 'a' is not linearizable (3 operations)");
            // Before the stale read everything is over and ends at 'y' v2: the witness starts there.
            assertThat(a.witness()).hasSize(2);
            assertThat(a.witness().get(0)).contains("'y' v2");
            assertThat(a.witness().get(1)).startsWith("op 3 ").contains("read -> 'x' v1");
        });

        ops.set(2, new History.Op(3, 2, 1, History.Kind.READ, "a", List.of(), 40, 50, History.Status.OK,
                new ReadResult("a", true, "y", 2, 1), Map.of(), null, null));
        assertThat(checks().linearizability()).isEmpty();
    }

    @Test
    void aSearchThatRunsOutOfBudgetIsReportedAsGivingUpNeverAsAPass() {
        for (int i = 1; i <= 12; i++) {
            write(i, History.Status.INFO, null, Map.of(), i, 0, Mutation.put("a", "u" + i));
        }
        read(13, "a", "nobody", 99, 100, 101);
        HistoryChecks tight = new HistoryChecks(ops, List.of("a", "b"), 1000);
        assertThat(tight.linearizability()).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("linearizability");
            assertThat(a.message()).startsWith("key 'a': the search gave up after").endsWith("no verdict");
        });
        assertThat(tight.keysGivenUp()).isEqualTo(1);

        ops.clear();
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        read(2, "a", "x", 1, 20, 30);
        HistoryChecks enough = new HistoryChecks(ops, List.of("a", "b"), 1000);
        assertThat(enough.linearizability()).isEmpty();
        assertThat(enough.keysGivenUp()).isZero();
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
    void aReadThatSeesTheValueOfAnAbortedWriteIsReported() {
        write(1, History.Status.FAIL, AbortCause.TIMEOUT, Map.of(), 0, 10, Mutation.put("a", "aborted"));
        read(2, "a", "aborted", 1, 20, 30);
        assertThat(checks().durabilityAndAtomicity(replicas(null, 0, null, 0))).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("aborted write visible");
            assertThat(a.message()).startsWith("read op 2 saw 'aborted'");
        });
        // The projection leaves the aborted write out, so the read is not linearizable either.
        assertThat(checks().linearizability()).extracting(Anomaly::check).containsExactly("linearizability");

        ops.remove(1);
        read(2, "a", null, 0, 20, 30);
        assertThat(checks().durabilityAndAtomicity(replicas(null, 0, null, 0))).isEmpty();
    }

    @Test
    void aReplicaThatEndsWithTheValueOfAnAbortedWriteIsReported() {
        write(1, History.Status.FAIL, AbortCause.TIMEOUT, Map.of(), 0, 10, Mutation.put("a", "aborted"));
        assertThat(checks().durabilityAndAtomicity(keyA("aborted", 1, null, 0))).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("aborted write visible");
            assertThat(a.message()).startsWith("replica 1 ends with key 'a' = 'aborted'");
        });
        assertThat(checks().durabilityAndAtomicity(keyA(null, 0, null, 0))).isEmpty();
    }

    @Test
    void aReadOfAnAcknowledgedVersionWithAnotherValueIsALostWrite() {
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        read(2, "a", "other", 1, 20, 30);
        assertThat(checks().durabilityAndAtomicity(keyA("x", 1, "x", 1))).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("acknowledged write lost");
            assertThat(a.message()).startsWith("read op 2 saw version 1 of key 'a' with another value");
        });

        ops.remove(1);
        read(2, "a", "x", 1, 20, 30);
        assertThat(checks().durabilityAndAtomicity(keyA("x", 1, "x", 1))).isEmpty();
    }

    @Test
    void aReadOfAnAcknowledgedDeletesVersionThatStillShowsAValueIsALostWrite() {
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        write(2, History.Status.OK, null, Map.of("a", 2L), 20, 30, Mutation.delete("a"));
        read(3, "a", "x", 2, 40, 50);
        assertThat(checks().durabilityAndAtomicity(keyA(null, 2, null, 2))).extracting(Anomaly::check)
                .containsExactly("acknowledged write lost");

        ops.remove(2);
        read(3, "a", null, 2, 40, 50);
        assertThat(checks().durabilityAndAtomicity(keyA(null, 2, null, 2))).isEmpty();
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
    void replicasAtOrPastTheHighestAcknowledgedVersionLoseNothing() {
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        write(2, History.Status.INFO, null, Map.of(), 20, 0, Mutation.put("a", "late"));
        // The unknown write took effect after all: replica 2 is past the acknowledged version, not behind it.
        assertThat(checks().durabilityAndAtomicity(keyA("x", 1, "late", 2))).isEmpty();
    }

    @Test
    void aReplicaMissingAKeyWithAnAcknowledgedWriteIsALostWrite() {
        write(1, History.Status.OK, null, Map.of("a", 1L), 0, 10, Mutation.put("a", "x"));
        // A key missing on a replica is at version 0: behind the acknowledged write.
        assertThat(checks().durabilityAndAtomicity(Map.of(1, Map.of("a", new KeyEntry("a", "x", 1, null)), 2, Map.of())))
                .singleElement().satisfies(a -> {
                    assertThat(a.check()).isEqualTo("acknowledged write lost");
                    assertThat(a.message()).startsWith("replica 2 ends with key 'a' at version 0 but version 1 was acknowledged");
                });
    }

    @Test
    void replicasThatDifferAreReportedKeyByKey() {
        Map<Integer, Map<String, KeyEntry>> finals = Map.of(1, Map.of("a", new KeyEntry("a", "x", 1, null)),
                2, Map.of("a", new KeyEntry("a", "y", 1, null)));
        assertThat(HistoryChecks.identical(finals)).singleElement()
                .satisfies(a -> assertThat(a.witness()).containsExactly("replicas [1]: 'x' v1", "replicas [2]: 'y' v1"));
    }

    @Test
    void replicasThatDifferOnlyInVersionAreReported() {
        assertThat(HistoryChecks.identical(keyA("x", 1, "x", 2))).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo("replicas differ");
            assertThat(a.witness()).containsExactly("replicas [1]: 'x' v1", "replicas [2]: 'x' v2");
        });
        // Deleted at one version is not deleted at another.
        assertThat(HistoryChecks.identical(keyA(null, 3, null, 2))).extracting(Anomaly::check).containsExactly("replicas differ");
    }

    @Test
    void aKeyMissingOnOneReplicaIsReported() {
        Map<Integer, Map<String, KeyEntry>> finals = Map.of(1, Map.of("a", new KeyEntry("a", "x", 1, null)), 2, Map.of());
        assertThat(HistoryChecks.identical(finals)).singleElement()
                .satisfies(a -> assertThat(a.witness()).containsExactly("replicas [1]: 'x' v1", "replicas [2]: missing"));
    }

    @Test
    void identicalReplicasIncludingADeletedKeyAreNotReported() {
        assertThat(HistoryChecks.identical(keyA(null, 3, null, 3))).isEmpty();
        assertThat(HistoryChecks.identical(replicas("x", 1, "y", 4))).isEmpty();
    }
}
