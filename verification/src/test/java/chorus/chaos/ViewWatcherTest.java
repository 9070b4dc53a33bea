package chorus.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.ReplicaAdmin;
import chorus.api.model.EventBatch;
import chorus.api.model.EventType;
import chorus.api.model.ProtocolEvent;
import chorus.api.model.Role;
import chorus.api.model.View;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the view watcher reads from a replica at the end: its VIEW_CHANGED events, page by page, and its log file. */
class ViewWatcherTest {

    private static ProtocolEvent event(long seq, EventType type, String reason) {
        return new ProtocolEvent(seq, 0, 3, Role.MEMBERSHIP, type, null, 0, 3, List.of(), "", reason, -1);
    }

    /** An admin stub that serves {@code log} in pages of {@code page}, as a replica's event window does. */
    private static ReplicaAdmin eventsOnly(List<ProtocolEvent> log, int page) {
        return (ReplicaAdmin) Proxy.newProxyInstance(ReplicaAdmin.class.getClassLoader(), new Class<?>[] {ReplicaAdmin.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("events")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    long after = (Long) args[0];
                    List<ProtocolEvent> out = log.stream().filter(e -> e.seq() > after).limit(page).toList();
                    return new EventBatch(out, out.isEmpty() ? after : out.get(out.size() - 1).seq(), 0);
                });
    }

    @Test
    void theViewChangedEventsOfEveryPageAreRead() throws Exception {
        List<ProtocolEvent> log = new ArrayList<>();
        log.add(event(1, EventType.VIEW_CHANGED, "replica 3 now knows epoch 2 {1,2,4,5}; it is excluded: it serves no reads"));
        log.add(event(2, EventType.LEASE, "replica 3 lost its read lease (epoch 2 {1,2,4,5}); it serves no reads"));
        log.add(event(3, EventType.VIEW_CHANGE_FAILED, "readmit replica 3: not agreed; replica 1 knows epoch 2 {1,2,4,5}"));
        log.add(event(4, EventType.VIEW_CHANGED, "replica 3 now knows epoch 3 {1,2,3,4,5}; it is a member"));
        assertThat(ViewWatcher.events(3, eventsOnly(log, 2))).extracting(ViewObservation::view, ViewObservation::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(new View(2, List.of(1, 2, 4, 5)), 1L),
                        org.assertj.core.groups.Tuple.tuple(new View(3, List.of(1, 2, 3, 4, 5)), 4L));
    }

    @Test
    void onlyTheVIEW_CHANGEDLinesOfALogFileCountEvenWithBytesThatAreNoUtf8(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("replica-3.log");
        Files.write(log, List.of(
                "23:40:01.120 WARN  [lease-1] c.s.protocol.EventLog - MEMBERSHIP VIEW_CHANGED tx=null peer=3 keys=[]  replica 3 now "
                        + "knows epoch 2 {1,2,4,5}; it is excluded: it serves no reads or writes until readmitted",
                "23:40:01.200 WARN  [calls-4] c.s.protocol.EventLog - PARTICIPANT VOTED_NO tx=t1.1.7 peer=3 keys=[k0] put k0 "
                        + "replica 3 is at epoch 9 {1,2,3}; the transaction's epoch 8"));
        Files.write(log, new byte[] {(byte) 0xC3, (byte) 0x28, '\n'}, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(log, "23:40:03.000 WARN  [learner] c.s.protocol.EventLog - MEMBERSHIP VIEW_CHANGED tx=null peer=3 "
                + "keys=[]  replica 3 finished its catch-up from replica 1 and votes and reads in epoch 3 {1,2,3,4,5}\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(ViewWatcher.logLines(3, log)).extracting(ViewObservation::view, ViewObservation::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(new View(2, List.of(1, 2, 4, 5)), 1L),
                        org.assertj.core.groups.Tuple.tuple(new View(3, List.of(1, 2, 3, 4, 5)), 4L));
        assertThat(ViewWatcher.logLines(3, dir.resolve("missing.log"))).isEmpty();
    }
}
