package chorus.sim;

/**
 * Unwinds a thread of a replica that the simulator crashed. An {@link Error}, so that the
 * protocol's {@code catch (Exception e)} blocks let it through as they would let through a process
 * dying; {@code finally} blocks still run, against a store and a network that ignore a dead host.
 */
final class SimCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimCrash(String message) {
        super(message, null, false, false);
    }
}
