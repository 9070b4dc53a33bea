package chorus.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Collapsed stacks as async-profiler writes them, sorted into what ran and on whose behalf. */
class ProfileSummaryTest {

    private static final String HANDLER = "java/lang/Thread.run;sun/rmi/transport/tcp/TCPTransport$ConnectionHandler.run;"
            + "sun/rmi/transport/tcp/TCPTransport.handleMessages;";

    private final ProfileSummary summary = ProfileSummary.ofLines(List.of(
            // A client's write, coordinated here: Java, then a system call, then RocksDB.
            HANDLER + "chorus/server/transport/KeyValueEndpoint.put;chorus/server/protocol/Coordinator.execute 40",
            HANDLER + "chorus/server/transport/KeyValueEndpoint.put;java/net/Socket$SocketOutputStream.write;"
                    + "__GI_write;entry_SYSCALL_64_after_hwframe_[k];tcp_sendmsg_[k] 30",
            HANDLER + "chorus/server/transport/PeerEndpoint.prepareAll;org/rocksdb/RocksDB.write0;"
                    + "rocksdb::DBImpl::Write;rocksdb::MemTable::Add 20",
            // RMI reading the next call: no Chorus frame.
            HANDLER + "java/io/BufferedInputStream.read;__GI_read;tcp_recvmsg_[k];finish_task_switch.isra.0_[k] 25",
            // The JVM's own threads.
            "start_thread;thread_native_entry;Thread::call_run;JavaThread::thread_main_inner;"
                    + "CompileBroker::compiler_thread_loop;C2Compiler::compile_method;PhaseChaitin::Split 10",
            "start_thread;thread_native_entry;Thread::call_run;VMThread::run;VM_Operation::evaluate;"
                    + "GenCollectedHeap::do_collection;SerialHeap::young_process_roots 5",
            "start_thread;thread_native_entry;rocksdb::ThreadPoolImpl::Impl::BGThread;rocksdb::FlushJob::Run 4",
            "start_thread;thread_native_entry;Thread::call_run;VMThread::run;SafepointSynchronize::begin 1",
            // A ZooKeeper server's sync thread, for the other system.
            "java/lang/Thread.run;org/apache/zookeeper/server/SyncRequestProcessor.run;"
                    + "org/apache/zookeeper/server/persistence/FileTxnLog.commit;fdatasync_[k] 15",
            "",
            "garbage without a count"));

    @Test
    void countsEverySampleOnce() {
        assertThat(summary.samples()).isEqualTo(150);
        assertThat(summary.whatRan().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(150);
        assertThat(summary.onBehalfOf().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(150);
    }

    @Test
    void whatRanIsTheInnermostFrameUnlessTheThreadIsTheCompilersOrTheCollectors() {
        assertThat(summary.whatRan()).containsExactly(
                Map.entry(ProfileSummary.KERNEL, 70L),
                Map.entry(ProfileSummary.JAVA, 40L),
                Map.entry(ProfileSummary.STORAGE, 24L),
                Map.entry(ProfileSummary.JIT, 10L),
                Map.entry(ProfileSummary.GC, 5L),
                Map.entry(ProfileSummary.NATIVE, 1L));
    }

    @Test
    void onBehalfOfIsTheOutermostClassOfTheSystemsOwnCodeElseTheThreadsRuntime() {
        assertThat(summary.onBehalfOf()).containsExactly(
                Map.entry("KeyValueEndpoint", 70L),
                Map.entry(ProfileSummary.RMI, 25L),
                Map.entry("PeerEndpoint", 20L),
                Map.entry("SyncRequestProcessor", 15L),
                Map.entry(ProfileSummary.JIT, 10L),
                Map.entry(ProfileSummary.GC, 5L),
                Map.entry(ProfileSummary.STORAGE_THREADS, 4L),
                Map.entry(ProfileSummary.OUTSIDE, 1L));
    }

    @Test
    void reportsShareOfSamples() {
        assertThat(summary.percent(75)).isEqualTo(50.0);
        assertThat(summary.markdown(2)).contains("| kernel (system calls, network, scheduler) | 46.7 % |", "| KeyValueEndpoint | 46.7 % |")
                .doesNotContain("PeerEndpoint");
        assertThat(summary.oneLine()).startsWith("samples=150; kernel").contains("on behalf of: KeyValueEndpoint 46.7%");
        assertThat(ProfileSummary.ofLines(List.of()).percent(3)).isZero();
    }
}
