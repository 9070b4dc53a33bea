package chorus.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplySequenceTest {

    @Test
    void numbersAreReportedOnlyOnceEverySmallerOneIsDone() {
        ApplySequence seq = new ApplySequence(10, 1, 1000);
        ApplySequence.Claim a = seq.claim(2);
        ApplySequence.Claim b = seq.claim(1);
        assertThat(a.first()).isEqualTo(11);
        assertThat(b.first()).isEqualTo(13);
        assertThat(seq.last()).isEqualTo(10);

        seq.done(b);
        assertThat(seq.last()).as("13 is written, 11 and 12 are not yet").isEqualTo(10);
        seq.done(a);
        assertThat(seq.last()).isEqualTo(13);
    }

    @Test
    void aFailedBatchLeavesItsNumbersUnused() {
        ApplySequence seq = new ApplySequence(0, 1, 1000);
        ApplySequence.Claim failed = seq.claim(1);
        seq.done(failed);
        assertThat(seq.claim(1).first()).isEqualTo(2);
    }

    @Test
    void aBatchIsAskedToPruneOncePerStepAndOnlyWhatReadersNoLongerGet() {
        ApplySequence seq = new ApplySequence(0, 1, 16);
        long pruned = 0;
        int prunings = 0;
        for (int i = 0; i < 100; i++) {
            ApplySequence.Claim c = seq.claim(1);
            if (c.pruneBelow() > 0) {
                assertThat(c.pruneBelow()).isGreaterThan(pruned).isLessThanOrEqualTo(seq.last() - 16 + 1);
                pruned = c.pruneBelow();
                prunings++;
            }
            seq.done(c);
        }
        assertThat(seq.last()).isEqualTo(100);
        assertThat(prunings).as("one in every 16 / 8 changes, once past the retention").isBetween(40, 43);
        assertThat(seq.oldestRetained(100)).isEqualTo(85);
    }

    @Test
    void theOldestRetainedIsTheNewestRetentionOrWhatIsLeft() {
        assertThat(new ApplySequence(0, 1, 5).oldestRetained(0)).isEqualTo(1);
        assertThat(new ApplySequence(3, 1, 5).oldestRetained(3)).isEqualTo(1);
        assertThat(new ApplySequence(20, 1, 5).oldestRetained(20)).isEqualTo(16);
        assertThat(new ApplySequence(20, 18, 5).oldestRetained(20)).isEqualTo(18);
        assertThatThrownBy(() -> new ApplySequence(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
