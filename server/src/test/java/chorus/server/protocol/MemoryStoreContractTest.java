package chorus.server.protocol;

class MemoryStoreContractTest extends ReplicaStoreContract {

    @Override
    protected ReplicaStore create() {
        return new MemoryStore();
    }
}
