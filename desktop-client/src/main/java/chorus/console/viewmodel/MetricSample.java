package chorus.console.viewmodel;

/** Cluster-wide rates and latencies at one moment, {@code second} seconds after the console connected. */
public record MetricSample(double second, double commitsPerSecond, double abortsPerSecond, double p50Millis, double p99Millis) {
}
