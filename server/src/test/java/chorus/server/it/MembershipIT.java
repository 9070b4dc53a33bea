package chorus.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chorus.api.KeyValueService;
import chorus.api.ReplicaAdmin;
import chorus.api.model.CatchUp;
import chorus.api.model.ContentsPage;
import chorus.api.model.KeyEntry;
import chorus.api.model.Mutation;
import chorus.api.NotServingException;
import chorus.api.TransactionAbortedException;
import chorus.api.ViewChangeException;
import chorus.api.config.ClusterConfig;
import chorus.api.config.Coordination;
import chorus.api.config.MembershipSettings;
import chorus.api.config.Security;
import chorus.api.model.EventType;
import chorus.api.model.MembershipStatus;
import chorus.api.model.Role;
import chorus.api.model.View;
import chorus.api.model.WriteResult;
import chorus.server.LoopbackPorts;
import chorus.server.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership views on five replica JVMs: a dead replica is excluded by a majority and writes
 * commit on the others; the excluded replica, restarted, serves nothing; a minority excludes
 * nobody and, without a majority, serves no reads; a live replica is excluded only after its
 * read lease ran out.
 */
class MembershipIT {

    /** A one-second lease keeps the waits of these tests short. */
    static final MembershipSettings QUICK_LEASES = MembershipSettings.DEFAULTS.withLease(Duration.ofMillis(1000), Duration.ofMillis(100));

    @TempDir
    Path dir;

    static LocalCluster start(Path dir, Coordination coordination) {
        ClusterConfig config = new ClusterConfig(LoopbackPorts.replicas(5), LocalCluster.TEST_TIMEOUTS, Security.NONE, coordination)
                .withMembership(QUICK_LEASES);
        return LocalCluster.start(config, dir);
    }

    @Test
    void aDeadReplicaIsExcludedByTheOthersAndWritesCommitWithoutIt() throws Exception {
        try (LocalCluster cluster = start(dir, Coordination.RECEIVER)) {
            KeyValueService kv = cluster.connection(1).kv();
            UnavailableReplicaIT.putWhileWarmingUp(kv, "k", "before");
            cluster.awaitValue("k", "before", 1, 2, 3, 4, 5);
            cluster.kill(3);
            assertThatThrownBy(() -> kv.put("k", "while 3 is down")).isInstanceOfSatisfying(TransactionAbortedException.class,
                    e -> assertThat(e.reason()).contains("replica 3"));

            View view = cluster.connection(2).admin().exclude(3);

            assertThat(view).isEqualTo(new View(2, List.of(1, 2, 4, 5)));
            WriteResult w = kv.put("k", "without 3");
            assertThat(w.version()).isEqualTo(2);
            cluster.awaitValue("k", "without 3", 1, 2, 4, 5);
            for (int r : List.of(1, 2, 4, 5)) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    MembershipStatus s = cluster.connection(r).admin().members();
                    assertThat(s.view()).isEqualTo(view);
                    assertThat(s.member()).isTrue();
                });
            }
            assertThat(cluster.events(2)).anySatisfy(e -> {
                assertThat(e.role()).isEqualTo(Role.MEMBERSHIP);
                assertThat(e.type()).isEqualTo(EventType.VIEW_CHANGED);
                assertThat(e.reason()).contains("epoch 2 {1,2,4,5} agreed by replicas", "exclude replica 3 (proposed by replica 2)");
            });
            // Excluding it again changes nothing.
            assertThat(cluster.connection(4).admin().exclude(3)).isEqualTo(view);

            // Back from the dead, replica 3 learns that it was excluded, serves nothing, and copies the data.
            cluster.start(3);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(cluster.connection(3).admin().members().member()).isFalse());
            assertThatThrownBy(() -> cluster.connection(3).kv().get("k")).isInstanceOf(NotServingException.class)
                    .hasMessageContaining("replica 3 is no member of epoch 2 {1,2,4,5}");
            assertThatThrownBy(() -> cluster.connection(3).kv().put("k", "through 3")).isInstanceOf(NotServingException.class)
                    .hasMessageContaining("replica 3 is no member of epoch 2 {1,2,4,5}");
            assertThat(cluster.connection(5).kv().put("k", "after 3 came back").version()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(cluster.connection(3).admin().members().role()).isEqualTo("learner"));

            View back = cluster.connection(3).admin().readmit(3);

            assertThat(back).isEqualTo(new View(3, List.of(1, 2, 3, 4, 5)));
            // The view is agreed before replica 3's final sync ends; until it does, replica 3 refuses
            // reads, saying so (a clean-clone run read at once and met that refusal).
            try {
                await().atMost(Duration.ofSeconds(15)).ignoreExceptionsMatching(e -> e instanceof NotServingException)
                        .untilAsserted(() -> assertThat(cluster.connection(3).kv().get("k").value()).isEqualTo("after 3 came back"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // Seen once on a clean clone (2026-12-07): replica 3 still finishing its final sync 15 s
                // after the readmission. Say where it stood, so that the next occurrence can be diagnosed.
                throw new AssertionError("replica 3 did not serve reads after its readmission; its catch-up: "
                        + cluster.connection(3).admin().members().catchUp() + "; the warnings in its log:\n"
                        + String.join("\n", cluster.warnings(3)), e);
            }
            assertThat(cluster.connection(3).kv().put("k", "with 3 again").version()).isEqualTo(4);
            awaitIdentical(cluster);
        }
    }

    /** Every replica's committed contents, versions included, equal (the members' and the readmitted one's). */
    static void awaitIdentical(LocalCluster cluster) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<KeyEntry> reference = contents(cluster, 1);
            for (int r = 2; r <= cluster.config().size(); r++) {
                assertThat(contents(cluster, r)).as("replica %d", r).isEqualTo(reference);
            }
        });
    }

    static List<KeyEntry> contents(LocalCluster cluster, int replica) throws Exception {
        List<KeyEntry> out = new ArrayList<>();
        String after = "";
        while (after != null) {
            ContentsPage page = cluster.connection(replica).admin().contents(after, ReplicaAdmin.MAX_PAGE);
            out.addAll(page.entries());
            after = page.nextAfterKey();
        }
        return out;
    }

    @Test
    void aLearnerKilledWhileCopyingOrRightAfterItsReadmissionEndsIdentical() throws Exception {
        try (LocalCluster cluster = start(dir, Coordination.RECEIVER)) {
            KeyValueService kv = cluster.connection(1).kv();
            UnavailableReplicaIT.putWhileWarmingUp(kv, "warm", "up");
            cluster.kill(2);
            cluster.connection(1).admin().exclude(2);
            // More keys than one page of the snapshot, some deleted again.
            for (int b = 0; b < 30; b++) {
                List<Mutation> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    batch.add(Mutation.put("key-" + b + "-" + i, "value " + b + "/" + i));
                }
                kv.execute(batch);
            }
            kv.delete("key-0-0");

            // Replica 1, the first member it copies from, restarts: it no longer knows where in its log
            // replica 2's missed commits begin (another incarnation), so replica 2 copies a snapshot.
            cluster.stop(1);
            cluster.start(1);
            // Killed (halted) after the first page of its snapshot, then started again: it copies anew.
            cluster.launch(2, Map.of("chorus.fault", "learner-after-snapshot-page"));
            assertThat(cluster.awaitExit(2, Duration.ofSeconds(60))).isEqualTo(137);
            cluster.start(2);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                MembershipStatus s = cluster.connection(2).admin().members();
                assertThat(s.catchUp()).isNotNull();
                assertThat(s.catchUp().phase()).isEqualTo(CatchUp.Phase.CAUGHT_UP);
            });
            cluster.connection(3).kv().put("while-caught-up", "x");
            // Readmitted, then halted before its final sync: it must finish that sync when started again.
            cluster.stop(2);
            cluster.start(2, Map.of("chorus.fault", "learner-after-readmission"));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    assertThat(cluster.connection(2).admin().members().catchUp().phase()).isEqualTo(CatchUp.Phase.CAUGHT_UP));
            assertThatThrownBy(() -> cluster.connection(2).admin().readmit(2)).isInstanceOf(java.rmi.RemoteException.class);
            assertThat(cluster.awaitExit(2, Duration.ofSeconds(60))).isEqualTo(137);
            // The view with replica 2 was chosen, though the members may learn it only once replica 2
            // is back (its final sync and its lease requests teach it): until then they write without it.
            cluster.start(2);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                MembershipStatus s = cluster.connection(2).admin().members();
                assertThat(s.member()).isTrue();
                assertThat(s.catchUp()).isNull();
            });
            for (int r = 1; r <= 5; r++) {
                int replica = r;
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(cluster.connection(replica).admin().members().view())
                        .isEqualTo(new View(3, List.of(1, 2, 3, 4, 5))));
            }
            assertThat(cluster.connection(2).kv().get("key-29-99").value()).isEqualTo("value 29/99");
            assertThat(cluster.connection(2).kv().get("key-0-0").found()).isFalse();
            assertThat(cluster.connection(2).kv().put("after", "y").version()).isEqualTo(1);
            awaitIdentical(cluster);
        }
    }

    @Test
    void underLeaderCoordinationExcludingTheDeadLeaderMakesTheNextMemberLead() throws Exception {
        try (LocalCluster cluster = start(dir, Coordination.LEADER)) {
            UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(3).kv(), "lead", "before");
            cluster.kill(1);

            assertThat(cluster.connection(4).admin().exclude(1)).isEqualTo(new View(2, List.of(2, 3, 4, 5)));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                WriteResult w = cluster.connection(5).kv().put("lead", "after");
                assertThat(w.coordinator()).as("the lowest member leads").isEqualTo(2);
            });
            cluster.awaitValue("lead", "after", 2, 3, 4, 5);
        }
    }

    @Test
    void aMinorityExcludesNobodyAndServesNoReads() throws Exception {
        try (LocalCluster cluster = start(dir, Coordination.RECEIVER)) {
            UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "m", "before");
            cluster.kill(3);
            cluster.kill(4);
            cluster.kill(5);

            assertThatThrownBy(() -> cluster.connection(1).admin().exclude(3)).isInstanceOf(ViewChangeException.class)
                    .hasMessageContaining("exclude replica 3: not agreed")
                    .hasMessageContaining("replica 4 unreachable");
            assertThat(cluster.connection(2).admin().members().view().epoch()).isEqualTo(1);
            // Two of five grant no lease: once it ran out, reads are refused, saying why.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> cluster.connection(1).kv().get("m")).isInstanceOf(NotServingException.class)
                            .hasMessageContaining("replica 1 holds no read lease (granted by 2 of 5 replicas, 3 needed"));
            assertThat(cluster.events(1)).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.LEASE);
                assertThat(e.reason()).contains("replica 1 lost its read lease");
            });

            cluster.start(4);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(cluster.connection(1).kv().get("m").value()).isEqualTo("before"));
        }
    }

    @Test
    void aLiveReplicaIsExcludedOnlyOnceItsReadLeaseRanOut() throws Exception {
        try (LocalCluster cluster = start(dir, Coordination.RECEIVER)) {
            UnavailableReplicaIT.putWhileWarmingUp(cluster.connection(1).kv(), "live", "before");
            assertThat(cluster.connection(5).kv().get("live").value()).isEqualTo("before");
            long t0 = System.nanoTime();

            View view = cluster.connection(1).admin().exclude(5);

            assertThat(view.members()).containsExactly(1, 2, 3, 4);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("waited out replica 5's lease")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(700));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> cluster.connection(5).kv().get("live")).isInstanceOf(NotServingException.class)
                            .hasMessageContaining("replica 5 is no member of epoch 2 {1,2,3,4}"));
            assertThat(cluster.connection(2).kv().put("live", "without 5").version()).isEqualTo(2);
            cluster.awaitValue("live", "without 5", 1, 2, 3, 4);
        }
    }
}
