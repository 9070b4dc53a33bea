package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void theProblemsOfSeveralRunsSayWhichRunTheyAreFrom() {
        // The made-up runs load 1,000 records of the 10,000 their options name: one problem per system.
        BenchResults r = Comparisons.run().build();

        assertThat(Smoke.problems(List.of(r))).containsExactly("Chorus load inserted 1000 of 10000 records",
                "ZooKeeper load inserted 1000 of 10000 records");
        assertThat(Smoke.problems(List.of(r, r))).containsExactly(
                "run 1 of 2: Chorus load inserted 1000 of 10000 records",
                "run 1 of 2: ZooKeeper load inserted 1000 of 10000 records",
                "run 2 of 2: Chorus load inserted 1000 of 10000 records",
                "run 2 of 2: ZooKeeper load inserted 1000 of 10000 records");
    }
}
