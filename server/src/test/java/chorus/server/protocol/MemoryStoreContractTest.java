package chorus.server.protocol;

class MemoryStoreContractTest extends CrashableStoreContract {

    @Override
    protected ReplicaStore create(int changeRetention) {
        return new MemoryStore(changeRetention);
    }

    /** A restart is a new node over the same store. */
    @Override
    protected ReplicaStore reopen(ReplicaStore s) {
        return s;
    }

    @Override
    protected ReplicaStore crash(ReplicaStore s) {
        ((MemoryStore) s).loseUnsyncedWrites();
        return s;
    }
}
