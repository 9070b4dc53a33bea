package chorus.console.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chorus.api.model.KeyEntry;
import chorus.console.app.Console;
import chorus.console.app.ConsoleOptions;
import chorus.console.service.ConsoleTimeouts;
import chorus.console.testing.MemorySettings;
import chorus.console.viewmodel.ContentsRow;
import chorus.console.viewmodel.InDoubtRow;
import chorus.console.viewmodel.OperationKind;
import chorus.console.viewmodel.TxRow;
import chorus.console.viewmodel.TxState;
import chorus.server.testing.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javafx.animation.AnimationTimer;
import javafx.scene.control.ChoiceBox;
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
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console against a real five-replica cluster (real replica JVMs, real RMI), driven through
 * its views headless under Monocle. The tests share one cluster and one console and run in order:
 * each leaves the cluster healthy for the next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    @TempDir
    static Path workDir;

    private static LocalCluster cluster;
    private static Console console;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void startClusterAndConsole() throws Exception {
        cluster = LocalCluster.start(5, workDir.resolve("cluster"));
        FxToolkit.registerPrimaryStage();
        ConsoleTimeouts timeouts = new ConsoleTimeouts(Duration.ofMillis(500), Duration.ofMillis(1000),
                Duration.ofMillis(12_000), Duration.ofMillis(150), Duration.ofMillis(300));
        ConsoleOptions options = new ConsoleOptions(null, cluster.configFile(), null, timeouts, Duration.ofSeconds(30), null, null);
        FxToolkit.setupFixture(() -> {
            Stage stage = new Stage();
            console = Console.open(stage, options, new MemorySettings());
        });
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (console != null) {
                FxToolkit.setupFixture(() -> {
                    console.close();
                    console.stage().close();
                });
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    // ---- helpers: every read of the scene graph happens on the FX thread

    private static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String query) {
        return fx(() -> {
            Object n = robot.lookup(query).query();
            return n instanceof Labeled l ? l.getText() : ((TextInputControl) n).getText();
        });
    }

    private static void setText(String query, String value) {
        robot.interact(() -> robot.lookup(query).<TextInputControl>query().setText(value));
    }

    @SuppressWarnings("unchecked")
    private static void put(int replica, String key, String value) {
        robot.interact(() -> {
            console.mainController().showTab("operations");
            robot.lookup("#opReplica").<ChoiceBox<Integer>>query().setValue(replica);
            robot.lookup("#opKind").<ChoiceBox<OperationKind>>query().setValue(OperationKind.PUT);
        });
        setText("#opKey", key);
        setText("#opValue", value);
        robot.clickOn("#opExecute");
    }

    private static Optional<ContentsRow> contentsRow(String key) {
        return fx(() -> robot.lookup("#contentsTable").<TableView<ContentsRow>>query().getItems().stream()
                .filter(r -> r.key().equals(key)).findFirst());
    }

    private static Optional<TxRow> logRow(String txId) {
        return fx(() -> robot.lookup("#logTable").<TableView<TxRow>>query().getItems().stream()
                .filter(r -> r.txId().toString().equals(txId)).findFirst());
    }

    /** The text of the rendered cell of {@code row} in column {@code columnId} (the tab must be showing). */
    @SuppressWarnings("rawtypes")
    private static Optional<String> cellText(Object row, String columnId) {
        return fx(() -> robot.lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() == row && c.getTableColumn() != null
                        && columnId.equals(c.getTableColumn().getId()))
                .map(TableCell::getText).findFirst());
    }

    private static TxState state(TxRow row, int replica) {
        return fx(() -> row.stateProperty(replica).get());
    }

    private static void awaitAllUp() {
        await("every card up").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                IntStream.rangeClosed(1, 5).forEach(i -> assertThat(text("#state-" + i)).as("replica %d", i).isEqualTo("up")));
    }

    private static long eventsRecorded() {
        return IntStream.rangeClosed(1, 5).mapToLong(i -> cluster.status(i).lastEventSeq()).sum();
    }

    private static void awaitCommittedEverywhere(String key, String value) {
        await("'" + key + "' in every replica column").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ContentsRow row = contentsRow(key).orElseThrow(() -> new AssertionError("no row for " + key));
            for (int r = 1; r <= 5; r++) {
                assertThat(row.cell(r).map(KeyEntry::value)).as("replica %d", r).contains(value);
            }
            assertThat(row.disagree()).isFalse();
        });
    }

    // ---- the tests

    @Test
    @Order(1)
    void connectsThroughTheDialogAndLearnsEveryReplica() {
        await("connect dialog").atMost(Duration.ofSeconds(10)).until(() -> fx(() -> robot.lookup("#connectAddress").tryQuery().isPresent()));
        assertThat(text("#connectAddress")).isEqualTo(cluster.address(1).hostPort());

        setText("#connectAddress", "127.0.0.1:1");
        robot.clickOn("#connectButton");
        await("unreachable address reported").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(text(".connect-dialog .error-message")).startsWith("cannot reach 127.0.0.1:1"));

        // Any replica will do: connect through replica 3 and learn the other four from it.
        setText("#connectAddress", cluster.address(3).hostPort());
        robot.clickOn("#connectButton");
        awaitAllUp();
        for (int i = 1; i <= 5; i++) {
            assertThat(text("#card-" + i + " .card-address")).isEqualTo(cluster.address(i).hostPort());
        }
        assertThat(fx(() -> robot.lookup("#connectAddress").tryQuery().isPresent())).as("dialog closed").isFalse();
    }

    @Test
    @Order(2)
    void aPutAppearsInEveryReplicaColumnAndAsCommittedOnEveryReplicaInTheLog() {
        put(2, "console-it-1", "hello");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text("#opOutcome")).isEqualTo("COMMITTED"));
        String tx = text("#opTxId");
        assertThat(tx).startsWith("t2.");
        await("the transaction appears in the log within 500 ms").atMost(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(20)).until(() -> logRow(tx).isPresent());
        assertThat(text("#opVersion")).isEqualTo("1");
        assertThat(text("#opLatency")).endsWith("ms");

        awaitCommittedEverywhere("console-it-1", "hello");
        await("transaction committed on every replica in the log").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            TxRow row = logRow(tx).orElseThrow(() -> new AssertionError("no log row for " + tx));
            for (int r = 1; r <= 5; r++) {
                assertThat(state(row, r)).as("replica %d", r).isEqualTo(TxState.COMMITTED);
            }
            assertThat(fx(() -> row.outcomeProperty().get())).isEqualTo(TxState.COMMITTED);
        });

        // And the views render it: a cell per replica column, in the contents and in the log.
        robot.interact(() -> console.mainController().showTab("contents"));
        ContentsRow contents = contentsRow("console-it-1").orElseThrow();
        robot.interact(() -> robot.lookup("#contentsTable").<TableView<ContentsRow>>query().scrollTo(contents));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (int r = 1; r <= 5; r++) {
                assertThat(cellText(contents, "contents-replica-" + r)).as("contents, replica %d", r).contains("hello  v1");
            }
        });
        robot.interact(() -> console.mainController().showTab("log"));
        TxRow logged = logRow(tx).orElseThrow();
        robot.interact(() -> robot.lookup("#logTable").<TableView<TxRow>>query().scrollTo(logged));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (int r = 1; r <= 5; r++) {
                assertThat(cellText(logged, "log-replica-" + r)).as("log, replica %d", r).contains("COMMITTED");
            }
        });
    }

    @Test
    @Order(3)
    void badInputGivesAnInlineMessageAndSendsNothing() {
        long before = eventsRecorded();
        int sent = fx(console::operationsSent);

        put(1, "", "value");
        assertThat(text("#opValidation")).isEqualTo("key is empty; a key needs 1 to 1024 bytes of UTF-8");

        put(1, "k".repeat(1025), "value");
        assertThat(text("#opValidation")).isEqualTo("key is 1025 bytes of UTF-8; the limit is 1024 bytes");

        assertThat(fx(console::operationsSent)).isEqualTo(sent);
        await("no replica records anything").during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                .until(() -> eventsRecorded() == before);
    }

    @Test
    @Order(4)
    void simulatedFailureOfReplica3AbortsTheNextPutWithATimeoutAndSwitchingBackCommits() {
        robot.clickOn("#failure-3 .thumb-area");
        await("card 3 shows the failure").atMost(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(text("#state-3")).isEqualTo("simulated failure"));
        // The switch is an event of replica 3's that concerns no transaction: listed apart in the log tab.
        await("the switch is listed among the replica events").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(fx(() -> List.copyOf(robot.lookup("#replicaEvents").<javafx.scene.control.ListView<String>>query().getItems())))
                        .anySatisfy(line -> assertThat(line).contains("replica 3  OPERATOR FAILURE_ON")));

        put(1, "console-it-2", "lost");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text("#opOutcome")).isEqualTo("ABORTED"));
        assertThat(text("#opDetail")).startsWith("aborted: ").contains("replica 3").contains("did not vote within");
        String tx = text("#opTxId");
        await("log shows TIMED OUT on 3 and ABORTED").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            TxRow row = logRow(tx).orElseThrow(() -> new AssertionError("no log row for " + tx));
            assertThat(state(row, 3)).isEqualTo(TxState.TIMED_OUT);
            assertThat(state(row, 1)).isEqualTo(TxState.ABORTED);
            assertThat(fx(() -> row.outcomeProperty().get())).isEqualTo(TxState.ABORTED);
            assertThat(fx(() -> row.reasonProperty().get())).contains("replica 3");
        });
        robot.interact(() -> console.mainController().showTab("log"));
        TxRow aborted = logRow(tx).orElseThrow();
        robot.interact(() -> robot.lookup("#logTable").<TableView<TxRow>>query().scrollTo(aborted));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(cellText(aborted, "log-replica-3")).contains("TIMED OUT");
            assertThat(cellText(aborted, "log-outcome")).contains("ABORTED");
        });
        // Selecting it shows its timeline, with the timeout on replica 3's lane.
        robot.interact(() -> robot.lookup("#logTable").<TableView<TxRow>>query().getSelectionModel().select(aborted));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(fx(() -> robot.lookup(".lane-3 .label").queryAllAs(Labeled.class).stream().map(Labeled::getText).toList()))
                        .anySatisfy(t -> assertThat(t).contains("timeout: replica 3 did not vote within")));

        robot.clickOn("#failure-3 .thumb-area");
        await("card 3 back up").atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(text("#state-3")).isEqualTo("up"));
        put(1, "console-it-3", "back");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text("#opOutcome")).isEqualTo("COMMITTED"));
        awaitCommittedEverywhere("console-it-3", "back");
    }

    @Test
    @Order(5)
    void aKeyWrittenBehindTheConsolesBackAppearsWithoutAClick() throws Exception {
        Path root = Path.of(System.getProperty("chorus.repo.root", "..")).toAbsolutePath().normalize();
        Path kv = root.resolve("launch/kv");
        assertThat(kv).as("launch/kv").isExecutable();
        Path out = workDir.resolve("kv.out");
        ProcessBuilder pb = new ProcessBuilder(kv.toString(), "--config", cluster.configFile().toString(), "--replica", "4",
                "put", "behind-the-back", "cli")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        // The reactor built the cli jar before this module (a test dependency): never start a Maven build from a test.
        pb.environment().put("CHORUS_NO_BUILD", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launch/kv finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(Files.readString(out, StandardCharsets.UTF_8)).isZero();
        awaitCommittedEverywhere("behind-the-back", "cli");
    }

    @Test
    @Order(6)
    void aKilledReplicaTurnsUnreachableAndComesBackAfterRestart() {
        cluster.kill(4);
        await("card 4 unreachable").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(text("#state-4")).isEqualTo("unreachable"));
        assertThat(text("#problem-4")).contains("replica 4");

        cluster.start(4);
        await("card 4 up again").atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(text("#state-4")).isEqualTo("up"));
        put(4, "console-it-4", "after restart");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text("#opOutcome")).isEqualTo("COMMITTED"));
        awaitCommittedEverywhere("console-it-4", "after restart");
    }

    /**
     * A call to the frozen replica made on the FX thread would hold it for the read timeout (8 s in
     * tests; its kernel still accepts the connection): any gap this long is such a call. A shorter
     * bound (it was 100 ms) also caught a loaded machine's GC and scheduling pauses (111 ms seen
     * with other builds running), which are not what this test is about.
     */
    private static final long BLOCKED_FX_MILLIS = 1_000;

    @Test
    @Order(7)
    void theFxThreadIsNeverBlockedWhileAReplicaIsFrozen() throws Exception {
        // The pulse: an animation timer runs on the FX thread at every frame; the longest gap between
        // two frames is the longest time the FX thread was kept from its work.
        AtomicLong last = new AtomicLong();
        AtomicLong worst = new AtomicLong();
        AtomicLong worstEndedAt = new AtomicLong();
        AnimationTimer pulse = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long t = System.nanoTime();
                long prev = last.getAndSet(t);
                if (prev != 0 && t - prev > worst.get()) {
                    worst.set(t - prev);
                    worstEndedAt.set(t);
                }
            }
        };
        Thread fxThread = fx(Thread::currentThread);
        FxThreadSampler sampler = new FxThreadSampler(fxThread);
        robot.interact(() -> {
            console.mainController().showTab("operations");
            robot.lookup("#opReplica").<ChoiceBox<Integer>>query().setValue(1);
            robot.lookup("#opKind").<ChoiceBox<OperationKind>>query().setValue(OperationKind.PUT);
        });
        setText("#opKey", "console-it-6");
        setText("#opValue", "needs-2");
        robot.interact(pulse::start);
        try {
            await().atMost(Duration.ofSeconds(2)).until(() -> last.get() != 0);
            sampler.start();
            worst.set(0);
            cluster.pause(2);
            // A write that needs the frozen replica's vote, while every poller waits on replica 2 too.
            robot.clickOn("#opExecute");
            await("card 2 unreachable").atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(text("#state-2")).isEqualTo("unreachable"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text("#opOutcome")).isEqualTo("ABORTED"));
            long worstMillis = TimeUnit.NANOSECONDS.toMillis(worst.get());
            System.out.println("longest gap between FX pulses while replica 2 was frozen: " + worstMillis + " ms; the FX thread meanwhile:"
                    + System.lineSeparator() + sampler.during(worstEndedAt.get() - worst.get(), worstEndedAt.get()));
            assertThat(worstMillis).as("longest gap between two pulses on the FX thread, ms; the FX thread meanwhile:%n%s",
                    sampler.during(worstEndedAt.get() - worst.get(), worstEndedAt.get())).isLessThan(BLOCKED_FX_MILLIS);
        } finally {
            sampler.stop();
            cluster.resume(2);
            robot.interact(pulse::stop);
        }
        await("card 2 up again").atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(text("#state-2")).isEqualTo("up"));
    }

    @Test
    @Order(8)
    void aTransactionLeftInDoubtByACrashedCoordinatorCanBeForcedByTheOperator() {
        // Replica 5 halts right after making COMMIT durable, before telling anyone: the others stay prepared.
        cluster.kill(5);
        cluster.start(5, java.util.Map.of("chorus.fault", "coordinator-after-decision"));
        await("card 5 up").atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(text("#state-5")).isEqualTo("up"));
        put(5, "console-it-doubt", "maybe");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(text("#opOutcome")).isEqualTo("FAILED"));

        robot.interact(() -> console.mainController().showTab("inDoubt"));
        await("replica 1 holds the transaction in doubt").atMost(Duration.ofSeconds(20))
                .until(() -> inDoubtRow(1, "console-it-doubt").isPresent());
        assertThat(text("#indoubt-1")).isNotEqualTo("0");
        InDoubtRow row = inDoubtRow(1, "console-it-doubt").orElseThrow();
        robot.interact(() -> robot.lookup("#inDoubtTable").<TableView<InDoubtRow>>query().getSelectionModel().select(row));
        robot.clickOn("#forceCommit");
        await("confirmation asks for a note").atMost(Duration.ofSeconds(5))
                .until(() -> fx(() -> robot.lookup("#decisionNote").tryQuery().isPresent()));
        setText("#decisionNote", "coordinator 5 crashed after deciding; drill");
        robot.clickOn("OK");

        await("replica 1 no longer in doubt").atMost(Duration.ofSeconds(10))
                .until(() -> inDoubtRow(1, "console-it-doubt").isEmpty());
        assertThat(fx(() -> robot.lookup("#inDoubtActions").<javafx.scene.control.ListView<String>>query().getItems()))
                .singleElement().asString().contains("force COMMIT of " + row.tx().txId() + " on replica 1", "drill");
        await("the log records the operator's decision").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(logRow(row.tx().txId().toString()).map(r -> fx(() -> r.reasonProperty().get())).orElse(""))
                        .contains("drill"));

        // The coordinator comes back without the fault and finishes what it decided: every replica commits.
        cluster.kill(5);
        cluster.start(5);
        awaitAllUp();
        await("nothing left in doubt").atMost(Duration.ofSeconds(20))
                .until(() -> fx(() -> robot.lookup("#inDoubtTable").<TableView<InDoubtRow>>query().getItems().isEmpty()));
        awaitCommittedEverywhere("console-it-doubt", "maybe");
    }

    private static Optional<InDoubtRow> inDoubtRow(int replica, String key) {
        return fx(() -> robot.lookup("#inDoubtTable").<TableView<InDoubtRow>>query().getItems().stream()
                .filter(r -> r.replica() == replica && r.tx().keys().contains(key)).findFirst());
    }

    /** Samples the FX thread's state and top frames, so that a slow pulse can say what held the thread. */
    private static final class FxThreadSampler {
        private final Thread fx;
        private final java.util.concurrent.ConcurrentLinkedQueue<String> samples = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

        FxThreadSampler(Thread fx) {
            this.fx = fx;
        }

        void start() {
            timer.scheduleAtFixedRate(() -> {
                StackTraceElement[] stack = fx.getStackTrace();
                StringBuilder sb = new StringBuilder().append(System.nanoTime()).append(' ').append(fx.getState());
                for (int i = 0; i < Math.min(6, stack.length); i++) {
                    sb.append(" < ").append(stack[i]);
                }
                samples.add(sb.toString());
            }, 0, 10, TimeUnit.MILLISECONDS);
        }

        void stop() {
            timer.shutdownNow();
        }

        String during(long fromNanos, long toNanos) {
            StringBuilder sb = new StringBuilder();
            for (String s : samples) {
                long t = Long.parseLong(s.substring(0, s.indexOf(' ')));
                if (t >= fromNanos && t <= toNanos) {
                    sb.append("  +").append(TimeUnit.NANOSECONDS.toMillis(t - fromNanos)).append(" ms ")
                            .append(s.substring(s.indexOf(' ') + 1)).append(System.lineSeparator());
                }
            }
            return sb.toString();
        }
    }
}
