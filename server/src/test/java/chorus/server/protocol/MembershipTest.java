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
    void aReplicaWithoutALeaseClaimsNoVersionMismatch() throws Exception {
        cluster.node(1).execute(List.of(Mutation.put("k", "one")));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cluster.store(3).read("k").version()).isEqualTo(1));
        cluster.network.down(3);
        cluster.node(1).exclude(3);
        cluster.node(2).execute(List.of(Mutation.put("k", "two")));
        // Replica 3 does not know it was excluded; it missed version 2 and its lease has run out.
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.node(3).membershipStatus().leaseRemainingMillis() == 0);
        PrepareRequest cas = new PrepareRequest(View.initial(FIVE), new TxId(3, 1, 950),
                new TxAge(System.currentTimeMillis(), 3, 950), List.of(new Mutation.Put("k", "three", 2)));

        Vote vote = cluster.node(3).prepare(cas);

        assertThat(vote).isInstanceOfSatisfying(Vote.No.class, no -> {
            assertThat(no.cause()).as("a stale version is no mismatch to report").isEqualTo(AbortCause.REFUSED);
            assertThat(no.reason()).isEqualTo("replica 3 holds no read lease and cannot tell whether key 'k' is at version 2 "
                    + "(it may have missed commits)");
        });
        assertThat(cluster.node(3).lockedKeys()).isZero();
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
        assertThat(cluster.node(5).membershipStatus().role()).as("running, it copies the data to rejoin").isEqualTo("learner");
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

    @Test
    void anExcludedReplicaCatchesUpAndIsReadmittedWithContentsIdenticalToTheMembers() throws Exception {
        for (int i = 0; i < 30; i++) {
            cluster.node(1).execute(List.of(Mutation.put("before-" + i, "v" + i)));
        }
        cluster.network.down(3);
        cluster.node(2).exclude(3);
        // Writes while replica 3 is out: new keys, overwrites and deletes (tombstones must travel too).
        for (int i = 0; i < 2_500; i++) {
            cluster.node(1 + i % 2).execute(List.of(Mutation.put("during-" + i, "w" + i)));
        }
        cluster.node(4).execute(List.of(Mutation.put("before-1", "changed")));
        cluster.node(5).execute(List.of(Mutation.delete("before-2")));
        cluster.network.up(3);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var status = cluster.node(3).membershipStatus();
            assertThat(status.role()).isEqualTo("learner");
            assertThat(status.catchUp().phase()).isEqualTo(chorus.api.model.CatchUp.Phase.CAUGHT_UP);
        });
        // Writes go on while it waits to be readmitted.
        cluster.node(1).execute(List.of(Mutation.put("late", "x")));

        View readmitted = cluster.node(3).readmit(3);

        assertThat(readmitted).isEqualTo(new View(3, FIVE));
        assertThat(cluster.node(3).membershipStatus().catchUp()).isNull();
        assertThat(cluster.node(3).execute(List.of(Mutation.put("after", "y"))).version()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<StoredEntry> reference = everything(1);
            for (int r = 2; r <= 5; r++) {
                assertThat(everything(r)).as("replica %d", r).isEqualTo(reference);
            }
        });
        assertThat(cluster.node(3).get("before-2").found()).isFalse();
        assertThat(cluster.node(3).get("before-1").value()).isEqualTo("changed");
        assertThat(cluster.store(3).read("before-2").version()).isEqualTo(2);
    }

    @Test
    void readmissionIsAskedOfTheReplicaItself() {
        assertThatThrownBy(() -> cluster.node(1).readmit(3)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("readmission is asked of the replica itself: ask replica 3, which must be running to copy the data");
    }

    private List<StoredEntry> everything(int replica) {
        return cluster.store(replica).snapshotPage("", 100_000);
    }
}
