package chorus.console.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.console.app.Console;
import chorus.console.app.ConsoleOptions;
import chorus.console.service.ConsoleTimeouts;
import chorus.console.testing.MemorySettings;
import chorus.console.viewmodel.MembershipRow;
import chorus.console.viewmodel.OperationKind;
import chorus.server.testing.LocalCluster;
import chorus.server.testing.Replicas;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Membership in the console against five real replica JVMs, headless: the header shows the view,
 * a killed member brings up the banner, the operator excludes it through the banner, and the
 * header, the cards and the log's membership table follow. The tests run in order on one cluster;
 * replica 3 leaves and rejoins the write set, so this class has a cluster of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleMembershipIT {

    @Replicas(5)
    static LocalCluster cluster;

    private static Console console;
    private static final FxRobot robot = new FxRobot();
    private static final Pattern OUTAGE = Pattern.compile("writes need every member; replica 3 unreachable for (\\d+) s");

    @BeforeAll
    static void openConsole() throws Exception {
        FxToolkit.registerPrimaryStage();
        ConsoleTimeouts timeouts = new ConsoleTimeouts(Duration.ofMillis(500), Duration.ofMillis(1000),
                Duration.ofMillis(12_000), Duration.ofMillis(150), Duration.ofMillis(300));
        ConsoleOptions options = new ConsoleOptions(cluster.address(1).hostPort(), cluster.configFile(), null, timeouts,
                Duration.ofSeconds(30), null, null);
        FxToolkit.setupFixture(() -> {
            console = Console.open(new Stage(), options, new MemorySettings());
        });
    }

    @AfterAll
    static void closeConsole() throws Exception {
        if (console != null) {
            FxToolkit.setupFixture(() -> {
                console.close();
                console.stage().close();
            });
        }
    }

    // ---- every read of the scene graph happens on the FX thread

    private static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String query) {
        return fx(() -> robot.lookup(query).<Labeled>query().getText());
    }

    /** Whether the node is drawn: it and every parent visible (rows of the banner are hidden as a whole). */
    private static boolean shown(String query) {
        return fx(() -> {
            Optional<Node> node = robot.lookup(query).tryQuery();
            for (Node n = node.orElse(null); n != null; n = n.getParent()) {
                if (!n.isVisible()) {
                    return false;
                }
            }
            return node.isPresent();
        });
    }

    private static Optional<MembershipRow> viewRow(long epoch) {
        return fx(() -> robot.lookup("#membershipTable").<TableView<MembershipRow>>query().getItems().stream()
                .filter(r -> r.epoch() == epoch).findFirst());
    }

    // ---- the tests

    @Test
    @Order(1)
    void theHeaderShowsTheFirstViewAndEveryCardAMember() {
        await("every card up and a member").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                IntStream.rangeClosed(1, 5).forEach(i -> {
                    assertThat(text("#state-" + i)).as("replica %d", i).isEqualTo("up");
                    assertThat(text("#role-" + i)).as("replica %d", i).isEqualTo("member");
                    assertThat(text("#view-" + i)).as("replica %d", i).isEqualTo("epoch 1 · lease held");
                }));
        assertThat(text("#clusterView")).isEqualTo("epoch 1 · writes on 1, 2, 3, 4, 5");
        assertThat(shown("#membershipBanner")).as("nothing to say").isFalse();
        assertThat(shown("#catchup-3")).as("no catch-up").isFalse();
    }

    @Test
    @Order(2)
    void aKilledMemberBringsUpTheBannerAndExcludingItThroughTheBannerChangesTheView() {
        cluster.kill(3);
        await("the banner names replica 3").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(text("#membershipOutage")).matches(OUTAGE));
        // The console counts the seconds itself, between polls too.
        await("the count goes on").atMost(Duration.ofSeconds(5)).until(() -> {
            Matcher m = OUTAGE.matcher(text("#membershipOutage"));
            return m.matches() && Integer.parseInt(m.group(1)) >= 2;
        });
        assertThat(shown("#membershipBanner")).isTrue();
        assertThat(text("#excludeButton")).isEqualTo("Exclude replica 3...");
        assertThat(text("#role-3")).as("still a member while nobody excluded it").isEqualTo("member");

        List<String> messages = new CopyOnWriteArrayList<>();
        robot.interact(() -> robot.lookup("#membershipMessage").<Label>query().textProperty()
                .addListener((o, a, b) -> messages.add(b)));
        robot.clickOn("#excludeButton");
        await("confirmation").atMost(Duration.ofSeconds(5)).until(() -> fx(() -> robot.lookup("#confirmDialog").tryQuery().isPresent()));
        assertThat(fx(() -> robot.lookup("#confirmDialog").<DialogPane>query().getContentText()))
                .contains("without replica 3").contains("Writes then commit on replicas 1, 2, 4, 5 only");
        robot.clickOn("OK");

        await("the exclusion's outcome").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(text("#membershipMessage"))
                        .isEqualTo("replica 3 excluded: epoch 2 {1,2,4,5} agreed; writes now commit on 1, 2, 4, 5"));
        assertThat(messages).as("the progress was shown while the replicas agreed")
                .anySatisfy(m -> assertThat(m).startsWith("excluding replica 3: replica 1 asks a majority"));
        await("the header shows the new view").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(text("#clusterView")).isEqualTo("epoch 2 · writes on 1, 2, 4, 5"));
        assertThat(shown("#membershipOutage")).as("writes no longer need replica 3").isFalse();
        assertThat(text("#role-3")).isEqualTo("excluded");
        assertThat(fx(() -> robot.lookup("#card-3").query().getStyleClass())).contains("card-role-excluded");

        // Writes go on without it.
        robot.interact(() -> {
            console.mainController().showTab("operations");
            robot.lookup("#opReplica").<ChoiceBox<Integer>>query().setValue(2);
            robot.lookup("#opKind").<ChoiceBox<OperationKind>>query().setValue(OperationKind.PUT);
            robot.lookup("#opKey").<TextInputControl>query().setText("after-exclusion");
            robot.lookup("#opValue").<TextInputControl>query().setText("four");
        });
        robot.clickOn("#opExecute");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text("#opOutcome")).isEqualTo("COMMITTED"));
    }

    @Test
    @Order(3)
    void theRestartedReplicaCopiesTheDataAsALearnerAndMayBeAskedToRejoin() {
        cluster.start(3);
        await("replica 3 answers, learns the view, copies the data and is offered readmission").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    assertThat(text("#state-3")).isEqualTo("up");
                    assertThat(text("#view-3")).as("what replica 3 itself reports").startsWith("epoch 2 ·");
                    assertThat(text("#role-3")).isEqualTo("learner");
                    assertThat(text("#readmitButton")).isEqualTo("Readmit replica 3...");
                    assertThat(text("#readmitNote")).startsWith("replica 3 is a learner: caught up with replica");
                });
        assertThat(text("#clusterView")).isEqualTo("epoch 2 · writes on 1, 2, 4, 5");
    }

    @Test
    @Order(4)
    void theLogShowsTheViewChangeWithWhoProposedAndWhoAgreed() {
        robot.interact(() -> console.mainController().showTab("log"));
        await("a row for epoch 2 that every replica recorded").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MembershipRow row = viewRow(2).orElseThrow(() -> new AssertionError("no row for epoch 2"));
            assertThat(fx(() -> row.changeProperty().get())).isEqualTo("exclude replica 3");
            assertThat(fx(() -> row.proposerProperty().get())).isEqualTo("1");
            assertThat(fx(() -> row.writeSetProperty().get())).isEqualTo("1, 2, 4, 5");
            assertThat(fx(() -> row.reasonProperty().get())).startsWith("epoch 2 {1,2,4,5} agreed by replicas ")
                    .endsWith(": exclude replica 3 (proposed by replica 1)");
            assertThat(fx(() -> row.markProperty(1).get())).startsWith("proposed").endsWith("member");
            for (int r : new int[] {2, 4, 5}) {
                assertThat(fx(() -> row.markProperty(r).get())).as("replica %d", r).endsWith("member");
            }
            assertThat(fx(() -> row.markProperty(3).get())).isEqualTo("excluded");
        });
        MembershipRow row = viewRow(2).orElseThrow();
        robot.interact(() -> robot.lookup("#membershipTable").<TableView<MembershipRow>>query().scrollTo(row));
        await("the row is drawn").atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(cellText(row, "membership-event")).contains("VIEW CHANGED · epoch 2"));
    }

    @Test
    @Order(5)
    void readmitConfirmedBringsTheReplicaBackIntoTheWriteSet() {
        robot.clickOn("#readmitButton");
        robot.clickOn("OK");
        await("the view with replica 3 agreed and shown").atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(text("#clusterView")).isEqualTo("epoch 3 · writes on 1, 2, 3, 4, 5");
            assertThat(text("#role-3")).isEqualTo("member");
        });
    }

    /** The text of the rendered cell of {@code row} in column {@code columnId} (the tab must be showing). */
    @SuppressWarnings("rawtypes")
    private static Optional<String> cellText(Object row, String columnId) {
        return fx(() -> robot.lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() == row && c.getTableColumn() != null
                        && columnId.equals(c.getTableColumn().getId()))
                .map(TableCell::getText).findFirst());
    }
}
