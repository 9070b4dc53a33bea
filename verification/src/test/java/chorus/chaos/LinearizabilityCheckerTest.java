package chorus.chaos;

import static chorus.chaos.KeyOp.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chorus.chaos.LinearizabilityChecker.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on small hand-made histories, each known to be linearizable or known not to be. */
class LinearizabilityCheckerTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker(1_000_000);
    private int ids;

    private KeyOp put(String v, long version, long from, long to) {
        return KeyOp.put(++ids, ids, v, -1, version, from, to);
    }

    private KeyOp cas(String v, long expected, long version, long from, long to) {
        return KeyOp.put(++ids, ids, v, expected, version, from, to);
    }

    private KeyOp del(long version, long from, long to) {
        return KeyOp.delete(++ids, ids, -1, version, from, to);
    }

    private KeyOp read(String v, long version, long from, long to) {
        return KeyOp.read(++ids, ids, v != null, v, version, from, to);
    }

    private Verdict verdict(KeyOp... ops) {
        return checker.check(List.of(ops)).verdict();
    }

    @Test
    void anEmptyHistoryAndSequentialWritesAndReadsAreLinearizable() {
        assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(read(null, 0, 0, 1), put("a", 1, 2, 3), read("a", 1, 4, 5), del(2, 6, 7), read(null, 2, 8, 9),
                put("b", 3, 10, 11), read("b", 3, 12, 13))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void readsConcurrentWithAWriteMaySeeEitherSideInOneOrder() {
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 10, 20), read("a", 1, 11, 12), read("b", 2, 13, 14), read("b", 2, 21, 22)))
                .isEqualTo(Verdict.LINEARIZABLE);
        // The read that started first sees the new value, the later one the old: still fine if they overlap.
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 10, 20), read("b", 2, 11, 15), read("a", 1, 12, 16)))
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aStaleReadAfterAnAcknowledgedWriteIsNotLinearizable() {
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 2, 3), read("a", 1, 4, 5))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        // The same read while the write is still running may see the old value.
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 2, 6), read("a", 1, 4, 5))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void readsThatGoBackInTimeAcrossAConcurrentWriteAreNotLinearizable() {
        // r1 sees the new value and finishes before r2 starts, yet r2 sees the old one.
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 10, 40), read("b", 2, 11, 12), read("a", 1, 13, 14)))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aReadOfAValueNobodyWroteIsNotLinearizable() {
        assertThat(verdict(put("a", 1, 0, 1), read("z", 1, 2, 3))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("a", 1, 0, 1), read("a", 1, 2, 3))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aReadOfTheRightValueAtAnotherVersionThanItsWriteIsNotLinearizable() {
        assertThat(verdict(put("a", 1, 0, 1), read("a", 2, 2, 3))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        // The same value at version 2 is fine once a second write has written it again.
        assertThat(verdict(put("a", 1, 0, 1), put("a", 2, 2, 3), read("a", 2, 4, 5))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aReadOfADeletedKeyMustShowItAbsentAtTheDeletesVersion() {
        assertThat(verdict(put("a", 1, 0, 1), del(2, 2, 3), read(null, 1, 4, 5))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("a", 1, 0, 1), del(2, 2, 3), read(null, 2, 4, 5))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void twoAcknowledgedWritesReportingTheSameVersionAreNotLinearizable() {
        assertThat(verdict(put("a", 1, 0, 1), put("b", 1, 2, 3))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 2, 3))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aWriteWhoseReportedVersionSkipsOneIsNotLinearizable() {
        assertThat(verdict(put("a", 1, 0, 1), put("c", 3, 2, 3))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        // Unless a write whose outcome is unknown may have taken the version in between.
        assertThat(verdict(put("a", 1, 0, 1), put("b", -1, 2, UNKNOWN), put("c", 3, 4, 5))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void anAcknowledgedWriteLostAfterwardsIsNotLinearizable() {
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 2, 3), read("a", 1, 100, 101))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("a", 1, 0, 1), read(null, 0, 100, 101))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 2, 3), read("b", 2, 100, 101))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aWriteWithUnknownOutcomeMayTakeEffectLateOrNever() {
        // Never observed: it never happened.
        assertThat(verdict(put("x", -1, 0, UNKNOWN), read(null, 0, 5, 6))).isEqualTo(Verdict.LINEARIZABLE);
        // Observed long after its call, after other writes: it happened late.
        assertThat(verdict(put("x", -1, 0, UNKNOWN), put("a", 1, 10, 11), read("a", 1, 12, 13), read("x", 2, 50, 51),
                put("b", 3, 60, 61))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aWriteWithUnknownOutcomeCannotBeSeenBeforeItWasCalledNorVanishOnceSeen() {
        assertThat(verdict(read("x", 1, 0, 1), put("x", -1, 2, UNKNOWN))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("x", -1, 0, UNKNOWN), read("x", 1, 5, 6), read(null, 0, 7, 8))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void twoConditionalWritesOnTheSameVersionCannotBothSucceed() {
        assertThat(verdict(put("a", 1, 0, 1), cas("b", 1, 2, 5, 10), cas("c", 1, 2, 6, 11))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("a", 1, 0, 1), cas("b", 1, 2, 5, 10), cas("c", 2, 3, 6, 11))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aConditionalWriteThatSucceedsWhenTheVersionWasNotTheExpectedOneIsNotLinearizable() {
        // It reports version 3, right after b's version 2, but it expected version 1: b had already moved past it.
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 2, 3), cas("c", 1, 3, 4, 5))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("a", 1, 0, 1), put("b", 2, 2, 3), cas("c", 2, 3, 4, 5))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aRefusedConditionalWriteNeedsAMomentWhenTheVersionDiffered() {
        assertThat(verdict(put("a", 1, 0, 1), KeyOp.mismatch(++ids, 9, 1, 2, 3))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(put("a", 1, 0, 1), KeyOp.mismatch(++ids, 9, 1, 0, 3))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void manyConcurrentClientsWithUnknownOutcomesStayWithinTheBudget() {
        List<KeyOp> ops = new ArrayList<>();
        long t = 0;
        long version = 0;
        for (int i = 0; i < 300; i++) {
            // Bursts of four overlapping writes, the last one unanswered, then a read of the result.
            for (int w = 0; w < 3; w++) {
                ops.add(put("v" + i + "-" + w, ++version, t + w, t + 10 + w));
            }
            ops.add(put("lost" + i, -1, t + 3, UNKNOWN));
            ops.add(read("v" + i + "-2", version, t + 20, t + 21));
            t += 30;
        }
        LinearizabilityChecker.Result r = checker.check(ops);
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void anOperationThatCompletesBeforeItStartsIsRefusedAsInput() {
        assertThatThrownBy(() -> verdict(put("a", 1, 5, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completes before it starts");
    }

    @Test
    void theBudgetStopsTheSearchWithAnHonestGaveUp() {
        List<KeyOp> ops = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ops.add(put("u" + i, -1, i, UNKNOWN));
        }
        ops.add(read("nobody", 99, 100, 101));
        assertThat(new LinearizabilityChecker(1000).check(ops).verdict()).isEqualTo(Verdict.GAVE_UP);
    }

    @Test
    void theWitnessIsTheShortestFailingPrefixWithoutIrrelevantReads() {
        List<KeyOp> ops = new ArrayList<>();
        ops.add(put("a", 1, 0, 1));
        ops.add(read("a", 1, 2, 3));
        ops.add(read("a", 1, 4, 5));
        ops.add(put("b", 2, 6, 7));
        KeyOp stale = read("a", 1, 8, 9);
        ops.add(stale);
        ops.add(put("c", 3, 10, 11));
        ops.add(read("c", 3, 12, 13));
        Witness.Result w = Witness.shrink(ops, checker);
        // Everything before the stale read is over before it starts and ends in one state: that state is the start.
        assertThat(w.start()).isEqualTo(new RegisterState(true, "b", 2));
        assertThat(w.ops()).containsExactly(stale);
        assertThat(w.lines()).hasSize(2).first().asString().contains("'b' v2");
        assertThat(checker.check(w.ops(), w.start()).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aWriteRunningAcrossAQuietMomentBecomesKnownWhenItsValueWasRead() {
        List<KeyOp> ops = new ArrayList<>();
        ops.add(put("a", 1, 0, 1));
        ops.add(put("slow", 2, 2, 50));
        ops.add(read("slow", 2, 10, 11));
        KeyOp stale = read("a", 1, 12, 13);
        ops.add(stale);
        Witness.Result w = Witness.shrink(ops, checker);
        assertThat(w.start()).isEqualTo(new RegisterState(true, "slow", 2));
        assertThat(w.ops()).containsExactly(stale);
    }

    @Test
    void anUnknownWriteNobodyReadKeepsTheWitnessFromTheStart() {
        List<KeyOp> ops = new ArrayList<>();
        ops.add(put("z", -1, 0, UNKNOWN));
        ops.add(put("a", 1, 1, 2));
        ops.add(read("a", 1, 3, 4));
        ops.add(put("b", 2, 5, 6));
        KeyOp stale = read("a", 1, 7, 8);
        ops.add(stale);
        Witness.Result w = Witness.shrink(ops, checker);
        assertThat(w.startedBy()).isNull();
        assertThat(w.ops()).containsExactly(ops.get(0), ops.get(1), ops.get(3), stale);
        assertThat(checker.check(w.ops()).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anUnknownWriteThatSomeoneReadIsKnownToHaveHappenedBeforeThatRead() {
        KeyOp lost = put("x", -1, 0, UNKNOWN);
        KeyOp seen = read("x", 1, 5, 6);
        List<KeyOp> resolved = Witness.resolveObserved(List.of(lost, seen));
        assertThat(resolved.get(0).unknown()).isFalse();
        assertThat(resolved.get(0).version()).isEqualTo(1);
        assertThat(resolved.get(0).complete()).isEqualTo(6);
        // Resolving keeps the verdict: both linearizable here.
        assertThat(checker.check(resolved).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }
}
