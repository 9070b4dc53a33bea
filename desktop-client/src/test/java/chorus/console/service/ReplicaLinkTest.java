package chorus.console.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.KeyValueService;
import chorus.api.ReplicaAdmin;
import chorus.api.config.ClusterConfig;
import chorus.api.config.ReplicaAddress;
import chorus.api.config.Timeouts;
import chorus.api.model.ContentsPage;
import chorus.api.model.Decision;
import chorus.api.model.EventBatch;
import chorus.api.model.InDoubtTransaction;
import chorus.api.model.Mutation;
import chorus.api.model.ReadResult;
import chorus.api.model.ReplicaStatus;
import chorus.api.model.TxId;
import chorus.api.model.WriteResult;
import chorus.api.rmi.ReplicaConnector;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplicaLink} over real RMI in this JVM: a stand-in replica whose status call can be held,
 * so that the console's deadline, its bookkeeping of abandoned calls and its reconnection are
 * observed on real stubs and sockets.
 */
class ReplicaLinkTest {

    private final ExecutorService calls = Executors.newCachedThreadPool();
    private Registry registry;
    private int port;
    private FakeAdmin admin;
    private FakeKv kv;
    private ReplicaLink link;

    @BeforeEach
    void exportFakeReplica() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        registry = LocateRegistry.createRegistry(port);
        export();
        ReplicaConnector connector = new ReplicaConnector(Timeouts.DEFAULTS);
        link = new ReplicaLink(new ReplicaAddress(2, "127.0.0.1", port), connector, calls);
    }

    private void export() throws Exception {
        admin = new FakeAdmin();
        kv = new FakeKv();
        registry.rebind(ReplicaAdmin.NAME, UnicastRemoteObject.exportObject(admin, 0));
        registry.rebind(KeyValueService.NAME, UnicastRemoteObject.exportObject(kv, 0));
    }

    @AfterEach
    void unexport() throws Exception {
        admin.release.countDown();
        for (java.rmi.Remote r : new java.rmi.Remote[] {admin, kv, registry}) {
            try {
                UnicastRemoteObject.unexportObject(r, true);
            } catch (NoSuchObjectException alreadyGone) {
                // a test took it down itself
            }
        }
        calls.shutdownNow();
    }

    @Test
    void answersWithinTheDeadline() throws Exception {
        assertThat(link.call(c -> c.admin().status(), Duration.ofSeconds(5)).id()).isEqualTo(2);
    }

    @Test
    void aCallPastItsDeadlineFailsNamingTheReplicaAndIsCountedUntilItReturns() throws Exception {
        admin.hold = true;
        assertThatThrownBy(() -> link.call(c -> c.admin().status(), Duration.ofMillis(300)))
                .isInstanceOf(CallTimeoutException.class)
                .hasMessage("replica 2 (127.0.0.1:" + port + ") did not answer within 300 ms");
        assertThat(link.abandonedCalls()).isEqualTo(1);
        admin.release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> link.abandonedCalls() == 0);
    }

    @Test
    void aReplicaThatIsGoneIsUnreachableAndARestartedOneIsFoundAgain() throws Exception {
        assertThat(link.call(c -> c.admin().status(), Duration.ofSeconds(5)).id()).isEqualTo(2);
        // The "restart": the old objects disappear, new ones are bound under the same names.
        UnicastRemoteObject.unexportObject(admin, true);
        UnicastRemoteObject.unexportObject(kv, true);
        assertThatThrownBy(() -> link.call(c -> c.admin().status(), Duration.ofSeconds(5)))
                .isInstanceOf(ReplicaUnreachableException.class)
                .hasMessageStartingWith("replica 2 (127.0.0.1:" + port + ") is unreachable: ")
                .hasCauseInstanceOf(NoSuchObjectException.class);
        export();
        assertThat(link.call(c -> c.admin().status(), Duration.ofSeconds(5)).id()).isEqualTo(2);
        assertThat(admin.statusCalls.get()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionSaysSo() throws Exception {
        // A port nobody listens on. Unexporting this test's registry is not enough: objects exported
        // on port 0 in the same JVM may share the registry's listener, which then stays open.
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ReplicaLink nowhere = new ReplicaLink(new ReplicaAddress(3, "127.0.0.1", closed), new ReplicaConnector(Timeouts.DEFAULTS), calls);
        assertThatThrownBy(() -> nowhere.call(c -> c.admin().status(), Duration.ofSeconds(5)))
                .isInstanceOf(ReplicaUnreachableException.class)
                .hasMessage("replica 3 (127.0.0.1:" + closed + ") is unreachable: connection refused");
    }

    @Test
    void chorusFailuresPassThroughUnchanged() {
        assertThatThrownBy(() -> link.call(c -> c.kv().get(""), Duration.ofSeconds(5)))
                .isInstanceOf(chorus.api.InvalidRequestException.class).hasMessage("key is empty");
    }

    static final class FakeAdmin implements ReplicaAdmin {
        volatile boolean hold;
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger statusCalls = new AtomicInteger();

        @Override
        public ReplicaStatus status() {
            statusCalls.incrementAndGet();
            if (hold) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new ReplicaStatus(2, "", 0, 0, 0, 0, 0, 0, 0, 0, false, -1, -1, 0, 1);
        }

        @Override
        public ClusterConfig membership() {
            return ClusterConfig.localhost(3, 7101, null);
        }

        @Override
        public ContentsPage contents(String afterKey, int limit) {
            return new ContentsPage(2, List.of(), null, 0);
        }

        @Override
        public EventBatch events(long afterSeq, int max) {
            return new EventBatch(List.of(), afterSeq, 0);
        }

        @Override
        public List<InDoubtTransaction> inDoubt() {
            return List.of();
        }

        @Override
        public void forceDecision(TxId txId, Decision decision, String operatorNote) {
        }

        @Override
        public void setSimulatedFailure(boolean failed) {
        }

        @Override
        public ReplicaAdmin withToken(String token) {
            return this;
        }

        @Override
        public void injectFault(chorus.api.model.FaultSpec fault) throws chorus.api.NotPermittedException {
            throw new chorus.api.NotPermittedException("fault injection is disabled; start the replica with --allow-faults");
        }

        @Override
        public void clearFaults() throws chorus.api.NotPermittedException {
            throw new chorus.api.NotPermittedException("fault injection is disabled; start the replica with --allow-faults");
        }

        @Override
        public chorus.api.model.ReplicaDiagnostics diagnostics() {
            return new chorus.api.model.ReplicaDiagnostics(1, 0, 0, 0, false, List.of());
        }

        @Override
        public chorus.api.model.MembershipStatus members() {
            return new chorus.api.model.MembershipStatus(1, chorus.api.model.View.initial(List.of(1)), true, 3000, "", null);
        }

        @Override
        public chorus.api.model.View exclude(int replica) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public chorus.api.model.View readmit(int replica) {
            throw new UnsupportedOperationException("not used by these tests");
        }
    }

    static final class FakeKv implements KeyValueService {
        @Override
        public ReadResult get(String key) throws chorus.api.InvalidRequestException {
            throw new chorus.api.InvalidRequestException("key is empty");
        }

        @Override
        public WriteResult put(String key, String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public WriteResult delete(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public WriteResult execute(List<Mutation> mutations) {
            throw new UnsupportedOperationException();
        }
    }
}
