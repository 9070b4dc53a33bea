package chorus.console.app;

import chorus.api.model.InDoubtTransaction;
import chorus.api.model.KeyEntry;
import chorus.api.model.ProtocolEvent;
import chorus.console.service.ClusterListener;
import chorus.console.service.ReplicaSnapshot;
import chorus.console.util.UiExecutor;
import chorus.console.viewmodel.ClusterViewModel;
import chorus.console.viewmodel.ContentsViewModel;
import chorus.console.viewmodel.InDoubtViewModel;
import chorus.console.viewmodel.MetricsViewModel;
import chorus.console.viewmodel.TransactionLogViewModel;
import java.util.List;

/**
 * The one place where what the cluster service reports from its threads moves onto the JavaFX
 * thread and into the view-models.
 */
public final class FxClusterBridge implements ClusterListener {

    private final UiExecutor ui;
    private final ClusterViewModel cluster;
    private final ContentsViewModel contents;
    private final TransactionLogViewModel log;
    private final InDoubtViewModel inDoubt;
    private final MetricsViewModel metrics;

    public FxClusterBridge(UiExecutor ui, ClusterViewModel cluster, ContentsViewModel contents, TransactionLogViewModel log,
                           InDoubtViewModel inDoubt, MetricsViewModel metrics) {
        this.ui = ui;
        this.cluster = cluster;
        this.contents = contents;
        this.log = log;
        this.inDoubt = inDoubt;
        this.metrics = metrics;
    }

    @Override
    public void replicaUpdated(ReplicaSnapshot snapshot) {
        ui.onUi(() -> {
            cluster.apply(snapshot);
            metrics.apply(snapshot);
        });
    }

    @Override
    public void eventsArrived(int replica, List<ProtocolEvent> events, long missed) {
        ui.onUi(() -> log.eventsArrived(replica, events, missed));
    }

    @Override
    public void contentsLoaded(int replica, List<KeyEntry> entries) {
        ui.onUi(() -> contents.replicaContents(replica, entries));
    }

    @Override
    public void inDoubtLoaded(int replica, List<InDoubtTransaction> transactions) {
        ui.onUi(() -> inDoubt.replicaInDoubt(replica, transactions));
    }
}
