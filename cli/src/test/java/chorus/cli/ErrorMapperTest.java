package chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.InvalidRequestException;
import chorus.api.NotPermittedException;
import chorus.api.OutcomeUnknownException;
import chorus.api.ReadTimeoutException;
import chorus.api.TransactionAbortedException;
import chorus.api.config.ConfigException;
import chorus.api.config.ReplicaAddress;
import chorus.api.model.AbortCause;
import chorus.api.model.TxId;
import java.net.SocketTimeoutException;
import java.rmi.ConnectException;
import java.rmi.RemoteException;
import java.rmi.UnmarshalException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    private static final Target REPLICA_2 = Target.of(new ReplicaAddress(2, "127.0.0.1", 7102));

    @Test
    void abortedWriteNamesReplicaTransactionAndReasonWithExit4() {
        CliException e = ErrorMapper.map(REPLICA_2, new TransactionAbortedException(
                TxId.parse("t2.1.9"), AbortCause.TIMEOUT, "replica 3 did not vote within 2000 ms"));
        assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(e.getMessage()).isEqualTo("replica 2 (127.0.0.1:7102): aborted t2.1.9: replica 3 did not vote within 2000 ms");
    }

    @Test
    void refusalsAreExit4() {
        assertThat(ErrorMapper.map(REPLICA_2, new ReadTimeoutException("key k is held by t1.1.1")).exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(ErrorMapper.map(REPLICA_2, new NotPermittedException("no")).exitCode()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void replicaRejectingTheRequestIsInvalidInput() {
        CliException e = ErrorMapper.map(REPLICA_2, new InvalidRequestException("key is empty"));
        assertThat(e.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(e.getMessage()).isEqualTo("replica 2 (127.0.0.1:7102): rejected: key is empty");
    }

    @Test
    void unknownOutcomeHasItsOwnExitCode() {
        CliException e = ErrorMapper.map(REPLICA_2, new OutcomeUnknownException(TxId.parse("t2.1.3"), "decision not durable"));
        assertThat(e.exitCode()).isEqualTo(ExitCodes.OUTCOME_UNKNOWN);
        assertThat(e.getMessage()).contains("outcome unknown: decision not durable");
    }

    @Test
    void aReplicaRefusingTheConnectionSaysWhyInOneLine() {
        RemoteException r = new java.rmi.ConnectIOException("error during JRMP connection establishment",
                new chorus.api.rmi.RefusedConnectionException("replica 2", "127.0.0.1:7102",
                        "the connection: too many client connections (limit 256)"));
        CliException e = ErrorMapper.map(REPLICA_2, r);
        assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(e.getMessage()).isEqualTo("replica 2 (127.0.0.1:7102): refused the connection: too many client connections (limit 256)");
        assertThat(ErrorMapper.describe(r)).isEqualTo("refused the connection: too many client connections (limit 256)");
    }

    @Test
    void refusedConnectionIsUnreachableInOneLine() {
        RemoteException r = new ConnectException("Connection refused to host: 127.0.0.1",
                new java.net.ConnectException("Connection refused"));
        CliException e = ErrorMapper.map(REPLICA_2, r);
        assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(e.getMessage()).isEqualTo("replica 2 (127.0.0.1:7102): unreachable: connection refused (is the replica running?)");
    }

    @Test
    void silentReplicaIsUnreachableWithTheTimeoutNamed() {
        RemoteException r = new UnmarshalException("Error unmarshaling return header", new SocketTimeoutException("Read timed out"));
        assertThat(ErrorMapper.map(REPLICA_2, r).getMessage()).endsWith("unreachable: no answer within the read timeout");
        RemoteException c = new RemoteException("x", new SocketTimeoutException("Connect timed out"));
        assertThat(ErrorMapper.describe(c)).isEqualTo("connect timed out");
    }

    @Test
    void otherRemoteFailuresKeepOnlyTheirOwnFirstLine() {
        RemoteException r = new RemoteException("replica 2 (127.0.0.1:7102) answers but is not a Chorus replica (no chorus.kv)");
        assertThat(ErrorMapper.describe(r)).isEqualTo("replica 2 (127.0.0.1:7102) answers but is not a Chorus replica (no chorus.kv)");
        assertThat(ErrorMapper.ownMessage(new RemoteException("outer", new IllegalStateException("inner")))).isEqualTo("outer");
    }

    @Test
    void badClusterFileIsAUsageError() {
        CliException e = ErrorMapper.map(REPLICA_2, new ConfigException("cluster file x does not exist"));
        assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(e.getMessage()).isEqualTo("cluster file x does not exist");
    }

    @Test
    void bareAddressIsNamedByHostAndPort() throws CliException {
        Target t = Target.parse("10.0.0.5:7101");
        assertThat(t.label()).isEqualTo("10.0.0.5:7101");
        assertThat(ErrorMapper.map(t, new NotPermittedException("no")).getMessage()).isEqualTo("10.0.0.5:7101: no");
    }
}
