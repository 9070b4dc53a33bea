package chorus.api.model;

import java.io.Serializable;
import java.util.List;

/**
 * What a failure drill or a consistency check wants to know after the fact: whether anything is
 * still held, owed or armed on one replica.
 *
 * @param lockedKeys           keys held in the lock table (by any transaction, at any stage)
 * @param transactions         transactions the participant holds (locked, preparing, prepared, in doubt)
 * @param undeliveredDecisions decisions this replica coordinated that some replica has not acknowledged
 * @param faultsAllowed        whether the replica was started with {@code --allow-faults}
 * @param armedFaults          the faults armed now, described
 */
public record ReplicaDiagnostics(int replica, int lockedKeys, int transactions, int undeliveredDecisions,
                                 boolean faultsAllowed, List<String> armedFaults) implements Serializable {

    public ReplicaDiagnostics {
        armedFaults = List.copyOf(armedFaults);
    }
}
