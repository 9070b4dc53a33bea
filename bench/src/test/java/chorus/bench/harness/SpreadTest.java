package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void anOddNumberOfRunsHasItsMiddleValueAsMedianWhateverTheOrder() {
        Spread s = Spread.of(List.of(1.3, 0.7, 1.1));

        assertThat(s.min()).isEqualTo(0.7);
        assertThat(s.median()).isEqualTo(1.1);
        assertThat(s.max()).isEqualTo(1.3);
        assertThat(s.count()).isEqualTo(3);
    }

    @Test
    void anEvenNumberOfRunsHasTheMeanOfTheMiddleTwoAsMedian() {
        Spread s = Spread.of(List.of(4.0, 1.0, 3.0, 2.0));

        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.median()).isEqualTo(2.5);
        assertThat(s.max()).isEqualTo(4.0);
        assertThat(Spread.of(List.of(0.9, 1.1)).median()).isEqualTo(1.0);
    }

    @Test
    void oneRunIsItsOwnMinMedianAndMax() {
        Spread s = Spread.of(List.of(0.59));

        assertThat(List.of(s.min(), s.median(), s.max())).containsOnly(0.59);
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.isEmpty()).isFalse();
    }

    @Test
    void aRunWithoutAFigureIsLeftOut() {
        Spread s = Spread.of(List.of(Double.NaN, 1.0, 3.0));

        assertThat(s.count()).isEqualTo(2);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.median()).isEqualTo(2.0);
        assertThat(s.max()).isEqualTo(3.0);
    }

    @Test
    void noFigureAtAllIsAnEmptySpread() {
        for (Spread s : List.of(Spread.of(List.of()), Spread.of(List.of(Double.NaN, Double.NaN)))) {
            assertThat(s.isEmpty()).isTrue();
            assertThat(s.count()).isZero();
            assertThat(s.median()).isNaN();
            assertThat(s.min()).isNaN();
            assertThat(s.max()).isNaN();
        }
    }
}
