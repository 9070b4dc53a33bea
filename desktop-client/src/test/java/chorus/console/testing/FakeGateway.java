package chorus.console.testing;

import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.model.Decision;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.TxId;
import chorus.api.model.View;
import chorus.api.model.WriteResult;
import chorus.console.service.ClusterGateway;
import chorus.console.service.ClusterListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory stand-in for the cluster service, for view-model unit tests: records calls, can be told to fail. */
public final class FakeGateway implements ClusterGateway {

    public final List<String> calls = new ArrayList<>();
    public final Map<String, String> values = new TreeMap<>();
    public final Map<String, Long> versions = new HashMap<>();
    public Exception nextFailure;
    public ClusterConfig membership = ClusterConfig.localhost(5, 7101, null);
    /** The view that exclude and readmit change. */
    public View view = View.initial(List.of(1, 2, 3, 4, 5));
    private long seq;

    private void maybeFail() throws Exception {
        if (nextFailure != null) {
            Exception e = nextFailure;
            nextFailure = null;
            throw e;
        }
    }

    @Override
    public ClusterConfig connect(String hostPort) throws Exception {
        calls.add("connect " + hostPort);
        maybeFail();
        ReplicaAddress.parse(1, hostPort);
        return membership;
    }

    @Override
    public ReadResult get(int replica, String key) throws Exception {
        calls.add("get " + replica + " " + key);
        maybeFail();
        String v = values.get(key);
        return new ReadResult(key, v != null, v, versions.getOrDefault(key, 0L), replica);
    }

    @Override
    public WriteResult put(int replica, String key, String value) throws Exception {
        calls.add("put " + replica + " " + key + "=" + value);
        maybeFail();
        return write(replica, key, value);
    }

    @Override
    public WriteResult delete(int replica, String key) throws Exception {
        calls.add("delete " + replica + " " + key);
        maybeFail();
        return write(replica, key, null);
    }

    @Override
    public WriteResult execute(int replica, List<Mutation> mutations) throws Exception {
        calls.add("execute " + replica + " " + mutations);
        maybeFail();
        Map<String, Long> out = new HashMap<>();
        for (Mutation m : mutations) {
            out.putAll(write(replica, m.key(), m instanceof Mutation.Put p ? p.value() : null).versions());
        }
        return new WriteResult(new TxId(replica, 1, seq), out, 1500, 1, replica);
    }

    private WriteResult write(int replica, String key, String value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        long v = versions.merge(key, 1L, Long::sum);
        return new WriteResult(new TxId(replica, 1, ++seq), Map.of(key, v), 1234, 1, replica);
    }

    @Override
    public void setSimulatedFailure(int replica, boolean failed) throws Exception {
        calls.add("failure " + replica + " " + failed);
        maybeFail();
    }

    @Override
    public void forceDecision(int replica, TxId txId, Decision decision, String note) throws Exception {
        calls.add("force " + replica + " " + txId + " " + decision + " " + note);
        maybeFail();
    }

    @Override
    public View exclude(int proposer, int replica) throws Exception {
        calls.add("exclude " + replica + " asking " + proposer);
        maybeFail();
        view = view.without(replica);
        return view;
    }

    @Override
    public View readmit(int replica) throws Exception {
        calls.add("readmit " + replica);
        maybeFail();
        view = view.with(replica);
        return view;
    }

    @Override
    public void refreshSoon() {
    }

    @Override
    public void addListener(ClusterListener listener) {
    }

    @Override
    public void close() {
    }
}
