package chorus.server.transport;

import chorus.server.protocol.ReplicaNode;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Makes a replica in simulated failure look crashed from outside. A client gets a RemoteException
 * at once, as from a refused connection. A peer's call is held for the vote timeout before it
 * fails, as a call to a hung process would be, so the coordinator sees a timeout naming this
 * replica, which is what an operator drilling failures expects to see.
 */
final class FailureGate {

    private final ReplicaNode node;
    private final Duration peerHold;

    FailureGate(ReplicaNode node) {
        this.node = node;
        this.peerHold = node.cluster().timeouts().vote().plusMillis(250);
    }

    void checkClientCall() throws RemoteException {
        if (node.failed()) {
            throw new RemoteException("replica " + node.address().id() + " is down (simulated failure)");
        }
    }

    void checkPeerCall() throws RemoteException {
        if (node.failed()) {
            try {
                // Simulates a hung process: nothing to wait for, the caller's timeout is the point.
                TimeUnit.NANOSECONDS.sleep(peerHold.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new RemoteException("replica " + node.address().id() + " is down (simulated failure)");
        }
    }
}
