package chorus.bench.harness;

import java.util.Collection;
import java.util.List;

/**
 * One figure over several runs: the least, the median and the greatest value, and how many runs
 * gave one. The median of an even count is the mean of the middle two. A run that gave no figure
 * (NaN) is left out; with none left the spread is empty and its figures are NaN.
 */
public record Spread(double min, double median, double max, int count) {

    public static final Spread EMPTY = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    public static Spread of(Collection<Double> values) {
        List<Double> sorted = values.stream().filter(v -> v != null && !Double.isNaN(v)).sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return EMPTY;
        }
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(sorted.get(0), median, sorted.get(n - 1), n);
    }

    public boolean isEmpty() {
        return count == 0;
    }
}
