package chorus.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.config.ClusterConfig;
import chorus.api.config.MembershipSettings;
import chorus.api.model.EventType;
import chorus.api.model.Mutation;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.View;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic membership on in-memory replicas: a member silent for {@code membership.auto-exclude-after-ms}
 * is excluded by the lowest member that still hears, and a replica that comes back readmits itself once
 * caught up.
 */
class AutoMembershipTest {

    static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);

    final MemoryCluster cluster = new MemoryCluster(ClusterConfig.localhost(5, 7000, MemoryCluster.FAST)
            .withMembership(MembershipSettings.DEFAULTS.withLease(Duration.ofMillis(400), Duration.ofMillis(40))
                    .withAutoExcludeAfter(Duration.ofMillis(600))));

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aSilentMemberIsExcludedByTheLowestMemberAndReadmitsItselfOnceItAnswersAgain() throws Exception {
        cluster.node(1).execute(List.of(Mutation.put("before", "1")));
        cluster.network.down(3);

        // The proposer installs the view before it records the event: wait for both.
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(1).membership().current().equals(new View(2, List.of(1, 2, 4, 5)))
                && proposedBy(1));
        ProtocolEvent change = viewChangedAt(1);
        assertThat(change.reason()).startsWith("epoch 2 {1,2,4,5} agreed by replicas")
                .contains(": exclude replica 3, unreachable (replica 3 for ")
                .endsWith("; membership.auto-exclude-after-ms = 600) (proposed by replica 1)");
        for (int r : List.of(2, 4, 5)) {
            assertThat(proposedBy(r)).as("replica %d leaves it to the lowest member", r).isFalse();
        }
        for (int i = 0; i < 50; i++) {
            cluster.node(List.of(1, 2, 4, 5).get(i % 4)).execute(List.of(Mutation.put("during-" + i, "w" + i)));
        }
        cluster.node(4).execute(List.of(Mutation.delete("before")));

        cluster.network.up(3);

        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.node(3).membership().current().isMember(3)
                && cluster.node(3).membershipStatus().catchUp() == null && proposedBy(3));
        assertThat(cluster.node(3).membership().current()).isEqualTo(new View(3, FIVE));
        assertThat(viewChangedAt(3).reason()).contains("readmit replica 3 by itself, caught up (automatic membership) (proposed by replica 3)");
        assertThat(cluster.node(3).get("during-49").value()).isEqualTo("w49");
        assertThat(cluster.node(3).get("before").found()).isFalse();
        assertThat(cluster.node(5).execute(List.of(Mutation.put("after", "x"))).version()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int r = 2; r <= 5; r++) {
                assertThat(cluster.store(r).snapshotPage("", 1000)).as("replica %d", r).isEqualTo(cluster.store(1).snapshotPage("", 1000));
            }
        });
    }

    @Test
    void whenTheLowestMemberIsSilentTheNextOneProposes() throws Exception {
        cluster.network.down(1);

        // The proposer installs the view before it records the event (ViewProposer): wait for both,
        // and only then check that no other replica proposed.
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(2).membership().current().equals(new View(2, List.of(2, 3, 4, 5)))
                && proposedBy(2));
        for (int r : List.of(3, 4, 5)) {
            assertThat(proposedBy(r)).as("replica %d leaves it to replica 2", r).isFalse();
        }
        assertThat(cluster.node(3).execute(List.of(Mutation.put("k", "v"))).version()).isEqualTo(1);
    }

    @Test
    void twoSilentMembersAreExcludedButNeverAMajority() throws Exception {
        cluster.network.down(4);
        cluster.network.down(5);

        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(1).membership().current().members().equals(List.of(1, 2, 3)));
        assertThat(cluster.node(2).execute(List.of(Mutation.put("k", "v"))).version()).isEqualTo(1);

        cluster.network.down(3);
        // {1,2} hold no lease (two of five answer them): they never propose, and {1,2,3} stays the view.
        long epoch = cluster.node(1).membership().current().epoch();
        await().during(Duration.ofMillis(2_000)).atMost(Duration.ofSeconds(3))
                .until(() -> cluster.node(1).membership().current().epoch() == epoch
                        && cluster.node(2).membership().current().epoch() == epoch);
        assertThat(cluster.node(1).membership().current().members()).containsExactly(1, 2, 3);
    }

    private boolean proposedBy(int replica) throws Exception {
        return cluster.node(replica).events(0, 10_000).events().stream()
                .anyMatch(e -> e.type() == EventType.VIEW_CHANGED && e.reason().contains("(proposed by replica " + replica + ")"));
    }

    private ProtocolEvent viewChangedAt(int replica) throws Exception {
        return cluster.node(replica).events(0, 10_000).events().stream()
                .filter(e -> e.type() == EventType.VIEW_CHANGED && e.reason().contains("(proposed by replica " + replica + ")"))
                .reduce((a, b) -> b).orElseThrow();
    }
}
