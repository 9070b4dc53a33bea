package chorus.console.view;

import chorus.console.viewmodel.MetricSample;
import chorus.console.viewmodel.MetricsViewModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;

/** Draws the metrics view-model's samples as two line charts. */
public final class MetricsController {

    private final MetricsViewModel vm;
    private final XYChart.Series<Number, Number> commits = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> aborts = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> p50 = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> p99 = new XYChart.Series<>();

    @FXML private LineChart<Number, Number> rates;
    @FXML private LineChart<Number, Number> latency;

    public MetricsController(MetricsViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        commits.setName("commits/s");
        aborts.setName("aborts/s");
        p50.setName("p50 ms");
        p99.setName("p99 ms");
        rates.getData().setAll(List.of(commits, aborts));
        latency.getData().setAll(List.of(p50, p99));
        vm.samples().addListener((ListChangeListener<MetricSample>) c -> redraw());
    }

    private void redraw() {
        List<MetricSample> s = List.copyOf(vm.samples());
        commits.getData().setAll(points(s, MetricSample::commitsPerSecond));
        aborts.getData().setAll(points(s, MetricSample::abortsPerSecond));
        p50.getData().setAll(points(s, MetricSample::p50Millis));
        p99.getData().setAll(points(s, MetricSample::p99Millis));
    }

    private static List<XYChart.Data<Number, Number>> points(List<MetricSample> samples, ToDoubleFunction<MetricSample> f) {
        List<XYChart.Data<Number, Number>> out = new ArrayList<>(samples.size());
        for (MetricSample m : samples) {
            double v = f.applyAsDouble(m);
            if (!Double.isNaN(v)) {
                out.add(new XYChart.Data<>(m.second(), v));
            }
        }
        return out;
    }
}
