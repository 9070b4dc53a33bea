package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.OutcomeUnknownException;
import chorus.api.TransactionAbortedException;
import chorus.api.model.AbortCause;
import chorus.api.model.TxId;
import chorus.console.testing.DirectUiExecutor;
import chorus.console.testing.FakeGateway;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsViewModelTest {

    private final FakeGateway gateway = new FakeGateway();
    private boolean confirmAnswer = true;
    private int confirmations;
    private OperationsViewModel vm;

    @BeforeEach
    void setUp() {
        DialogService dialogs = new DialogService() {
            @Override
            public boolean confirm(String title, String question) {
                confirmations++;
                return confirmAnswer;
            }

            @Override
            public Optional<String> confirmWithNote(String title, String question) {
                return Optional.of("note");
            }
        };
        vm = new OperationsViewModel(gateway, new DirectUiExecutor(), dialogs);
        vm.setReplicas(List.of(1, 2, 3, 4, 5));
    }

    @Test
    void emptyKeyIsRejectedInlineAndNothingIsSent() {
        vm.operationProperty().set(OperationKind.PUT);
        vm.keyProperty().set("");
        vm.valueProperty().set("v");
        vm.execute();
        assertThat(vm.validationProperty().get()).startsWith("key is empty");
        assertThat(gateway.calls).isEmpty();
        assertThat(vm.sentCount()).isZero();
    }

    @Test
    void tooLongKeyIsRejectedWithTheLimit() {
        vm.keyProperty().set("k".repeat(1025));
        vm.valueProperty().set("v");
        vm.execute();
        assertThat(vm.validationProperty().get()).isEqualTo("key is 1025 bytes of UTF-8; the limit is 1024 bytes");
        assertThat(gateway.calls).isEmpty();
    }

    @Test
    void putShowsOutcomeTransactionVersionAndLatency() {
        vm.replicaProperty().set(2);
        vm.keyProperty().set("a");
        vm.valueProperty().set("1");
        vm.execute();
        assertThat(gateway.calls).containsExactly("put 2 a=1");
        assertThat(vm.outcomeProperty().get()).isEqualTo("COMMITTED");
        assertThat(vm.txIdProperty().get()).isEqualTo("t2.1.1");
        assertThat(vm.versionProperty().get()).isEqualTo("1");
        assertThat(vm.latencyProperty().get()).isEqualTo("1.23 ms");
        assertThat(vm.failedProperty().get()).isFalse();
        assertThat(vm.validationProperty().get()).isEmpty();
    }

    @Test
    void abortShowsTheReasonInline() {
        gateway.nextFailure = new TransactionAbortedException(new TxId(1, 1, 9), AbortCause.TIMEOUT,
                "replica 3 did not vote within 2000 ms");
        vm.keyProperty().set("a");
        vm.valueProperty().set("1");
        vm.execute();
        assertThat(vm.outcomeProperty().get()).isEqualTo("ABORTED");
        assertThat(vm.detailProperty().get()).isEqualTo("aborted: replica 3 did not vote within 2000 ms");
        assertThat(vm.txIdProperty().get()).isEqualTo("t1.1.9");
        assertThat(vm.failedProperty().get()).isTrue();
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void anUnknownOutcomeWithoutATransactionShowsNoId() {
        gateway.nextFailure = new OutcomeUnknownException(null, "replica 2 forwards writes to replica 1, the coordinator of "
                + "every write, which did not answer (SocketTimeoutException: Read timed out); the write may or may not have "
                + "taken effect, a read tells");
        vm.keyProperty().set("a");
        vm.valueProperty().set("1");
        vm.execute();
        assertThat(vm.outcomeProperty().get()).isEqualTo("OUTCOME UNKNOWN");
        assertThat(vm.txIdProperty().get()).isEmpty();
        assertThat(vm.detailProperty().get()).contains("may or may not have taken effect");
        assertThat(vm.failedProperty().get()).isTrue();
    }

    @Test
    void deleteAsksForConfirmationAndSendsNothingWhenCancelled() {
        confirmAnswer = false;
        vm.operationProperty().set(OperationKind.DELETE);
        vm.keyProperty().set("a");
        vm.execute();
        assertThat(confirmations).isEqualTo(1);
        assertThat(gateway.calls).isEmpty();
        assertThat(vm.detailProperty().get()).contains("cancelled");
    }

    @Test
    void confirmedDeleteIsSent() {
        vm.operationProperty().set(OperationKind.DELETE);
        vm.keyProperty().set("a");
        vm.execute();
        assertThat(gateway.calls).containsExactly("delete 1 a");
    }

    @Test
    void conditionalPutNeedsAWholeNonNegativeVersion() {
        vm.operationProperty().set(OperationKind.CONDITIONAL_PUT);
        vm.keyProperty().set("a");
        vm.valueProperty().set("1");
        vm.expectedVersionProperty().set("x");
        vm.execute();
        assertThat(vm.validationProperty().get()).isEqualTo("expected version 'x' is not a whole number");
        vm.expectedVersionProperty().set("0");
        vm.execute();
        assertThat(vm.validationProperty().get()).isEmpty();
        assertThat(gateway.calls).containsExactly("execute 1 [put a@0]");
    }

    @Test
    void batchIsSentAsOneAtomicCall() {
        vm.operationProperty().set(OperationKind.BATCH);
        vm.batchProperty().set("put a 1\n# comment\ndelete@3 b\nput c hello world");
        vm.execute();
        assertThat(gateway.calls).containsExactly("execute 1 [put a, delete b@3, put c]");
        assertThat(gateway.values).containsEntry("c", "hello world");
    }

    @Test
    void batchWithARepeatedKeyIsRejected() {
        vm.operationProperty().set(OperationKind.BATCH);
        vm.batchProperty().set("put a 1\nput a 2");
        vm.execute();
        assertThat(vm.validationProperty().get()).isEqualTo("key 'a' appears twice in one batch");
        assertThat(gateway.calls).isEmpty();
    }

    @Test
    void getShowsTheValue() {
        gateway.values.put("a", "hello");
        gateway.versions.put("a", 4L);
        vm.operationProperty().set(OperationKind.GET);
        vm.keyProperty().set("a");
        vm.execute();
        assertThat(vm.outcomeProperty().get()).isEqualTo("FOUND");
        assertThat(vm.detailProperty().get()).isEqualTo("hello");
        assertThat(vm.versionProperty().get()).isEqualTo("4");
    }
}
