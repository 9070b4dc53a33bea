package chorus.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator as a whole: a seed replays exactly, the CI's fixed seeds are clean, and each of
 * four real bugs, put back by a wrapper, is found within the CI's seed budget.
 */
class SimulatorTest {

    /** The seeds CI runs on every build (launch/simulate --seeds 60 --seed 1 is the same run). */
    static final long FIRST_SEED = 1;
    static final int CI_SEEDS = 60;
    /** Of those, how many a re-introduced bug may need at most before some seed finds it. */
    static final int BUG_BUDGET = 20;

    @BeforeAll
    static void quiet() {
        Simulation.quietLogs();
    }

    @Test
    void theSameSeedGivesTheSameRunLineForLine() {
        Lifetime.Outcome first = Lifetime.run(7, Simulation.DEFAULT_STEPS, 100_000);
        Lifetime.Outcome second = Lifetime.run(7, Simulation.DEFAULT_STEPS, 100_000);
        assertThat(second.trace()).isEqualTo(first.trace());
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(second.traceLines()).isEqualTo(first.traceLines()).isGreaterThan(1_000);
        assertThat(second.transactions()).isEqualTo(first.transactions()).isPositive();
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        assertThat(Lifetime.run(8, 2_000, 0).digest()).isNotEqualTo(Lifetime.run(9, 2_000, 0).digest());
    }

    @Test
    void theCiSeedsAreClean() throws Exception {
        List<Lifetime.Outcome> failed = new ArrayList<>();
        long transactions = 0;
        long faults = 0;
        for (Lifetime.Outcome o : Simulation.runAll(LongStream.range(FIRST_SEED, FIRST_SEED + CI_SEEDS).boxed().toList(),
                Simulation.DEFAULT_STEPS, 200, Bugs.NONE, 2)) {
            transactions += o.transactions();
            faults += o.faults();
            if (!o.ok()) {
                failed.add(o);
            }
        }
        assertThat(failed).as("seeds with anomalies (replay each with launch/simulate --seeds 1 --seed S)")
                .extracting(o -> o.seed() + ": " + o.anomalies() + "\n" + String.join("\n", o.trace()))
                .isEmpty();
        assertThat(transactions).as("transactions in the CI seeds").isGreaterThan(CI_SEEDS * 100L);
        assertThat(faults).as("faults injected in the CI seeds").isGreaterThan(CI_SEEDS * 5L);
    }

    @ParameterizedTest
    @EnumSource(value = Bugs.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aReintroducedBugIsFoundWithinTheSeedBudget(Bugs bug) throws Exception {
        List<Lifetime.Outcome> outcomes = Simulation.runAll(LongStream.range(FIRST_SEED, FIRST_SEED + BUG_BUDGET).boxed().toList(),
                Simulation.DEFAULT_STEPS, 0, bug, 2);
        assertThat(outcomes).as("seeds on which " + bug + " is found").anyMatch(o -> !o.ok());
    }
}
