package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.InvalidRequestException;
import chorus.api.NotServingException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.MembershipSettings;
import chorus.api.model.AbortCause;
import chorus.api.model.Mutation;
import chorus.api.model.TxId;
import chorus.api.model.View;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Membership views in two-phase commit, on in-memory replicas: epoch fencing, writes without an excluded replica, the majority rule. */
class MembershipTest {

    static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);

    final MemoryCluster cluster = new MemoryCluster(ClusterConfig.localhost(5, 7000, MemoryCluster.FAST)
            .withMembership(MembershipSettings.DEFAULTS.withLease(Duration.ofMillis(400), Duration.ofMillis(40))));

    @AfterEach
    void close() {
        cluster.close();
    }

    static PrepareRequest prepare(View view, int coordinator, long seq, String key) {
        return new PrepareRequest(view, new TxId(coordinator, 1, seq), new TxAge(System.currentTimeMillis(), coordinator, seq),
                List.of(Mutation.put(key, "v")));
    }

    @Test
    void writesCommitOnTheMembersOnceADownReplicaIsExcluded() throws Exception {
        cluster.network.down(3);

        View view = cluster.node(1).exclude(3);

        assertThat(view).isEqualTo(new View(2, List.of(1, 2, 4, 5)));
        assertThat(cluster.node(2).execute(List.of(Mutation.put("k", "v"))).version()).isEqualTo(1);
        for (int r : List.of(1, 2, 4, 5)) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cluster.node(r).get("k").value()).isEqualTo("v"));
        }
        assertThat(cluster.store(3).read("k").present()).isFalse();
        assertThat(cluster.node(4).undeliveredDecisions()).isZero();
    }

    @Test
    void aPrepareOfAnOlderEpochIsRefusedWithTheNewerViewAndANewerOneTeachesIt() throws Exception {
        cluster.network.down(3);
        View two = cluster.node(1).exclude(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.node(4).membership().current().equals(two));

        Vote stale = cluster.node(4).prepare(prepare(View.initial(FIVE), 5, 900, "a"));

        assertThat(stale).isInstanceOfSatisfying(Vote.No.class, no -> {
            assertThat(no.cause()).isEqualTo(AbortCause.VIEW_CHANGED);
            assertThat(no.newerView()).isEqualTo(two);
            assertThat(no.reason()).isEqualTo("replica 4 is at epoch 2 {1,2,4,5}; the transaction's epoch 1 {1,2,3,4,5} is over");
        });
        assertThat(cluster.node(4).lockedKeys()).isZero();

        // Replica 3 missed the change; a PREPARE of the new epoch would teach it (here, were it a member).
        View three = new View(3, List.of(1, 2, 3, 4));
        assertThat(cluster.node(3).membership().current().epoch()).isEqualTo(1);
        Vote taught = cluster.node(3).prepare(prepare(three, 1, 901, "b"));
        assertThat(taught).isInstanceOf(Vote.Yes.class);
        assertThat(cluster.node(3).membership().current()).isEqualTo(three);
        cluster.node(3).decide(new TxId(1, 1, 901), chorus.api.model.Decision.ABORT);
    }

    @Test
    void anExcludedReplicaServesNoReadsAndCoordinatesNoWrites() throws Exception {
        View view = cluster.node(1).exclude(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.node(5).membership().current().equals(view));

        assertThatThrownBy(() -> cluster.node(5).get("k")).isInstanceOf(NotServingException.class)
                .hasMessage("replica 5 is no member of epoch 2 {1,2,3,4}: it was excluded, and serves no reads until it is "
                        + "readmitted; read at a member");
        assertThatThrownBy(() -> cluster.node(5).execute(List.of(Mutation.put("k", "v")))).isInstanceOf(NotServingException.class)
                .hasMessageContaining("replica 5 is no member of epoch 2 {1,2,3,4}");
        assertThat(cluster.node(5).membershipStatus().role()).isEqualTo("excluded");
    }

    @Test
    void aViewKeepsAMajorityOfTheConfiguredReplicas() throws Exception {
        cluster.node(1).exclude(4);
        cluster.node(1).exclude(5);

        assertThatThrownBy(() -> cluster.node(2).exclude(3)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("excluding replica 3 would leave {1,2}, fewer than a majority (3 of 5) of the configured replicas; "
                        + "a write must live on a majority of disks");
        assertThatThrownBy(() -> cluster.node(2).exclude(7)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("replica 7 is not in the cluster file (replicas 1, 2, 3, 4, 5)");
        assertThat(cluster.node(2).membership().current()).isEqualTo(new View(3, List.of(1, 2, 3)));
    }
}
