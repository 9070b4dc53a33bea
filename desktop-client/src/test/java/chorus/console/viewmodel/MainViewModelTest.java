package chorus.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import chorus.api.model.KeyEntry;
import chorus.console.testing.DirectUiExecutor;
import chorus.console.testing.FakeGateway;
import chorus.console.testing.MemorySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainViewModelTest {

    @TempDir
    Path dir;

    private final FakeGateway gateway = new FakeGateway();
    private final DirectUiExecutor executor = new DirectUiExecutor();
    private final MemorySettings settings = new MemorySettings();
    private final ContentsViewModel contents = new ContentsViewModel(executor);
    private final TransactionLogViewModel log = new TransactionLogViewModel();
    private OperationsViewModel operations;
    private MainViewModel vm;

    @BeforeEach
    void setUp() {
        DialogService yes = new DialogService() {
            @Override
            public boolean confirm(String title, String question) {
                return true;
            }

            @Override
            public Optional<String> confirmWithNote(String title, String question) {
                return Optional.of("");
            }
        };
        operations = new OperationsViewModel(gateway, executor, yes);
        operations.setReplicas(List.of(1, 2));
        contents.setReplicas(List.of(1, 2));
        log.setReplicas(List.of(1, 2));
        vm = new MainViewModel(gateway, executor, settings, contents, log, operations);
    }

    @Test
    void themeIsRememberedWhenToggled() {
        assertThat(vm.themeProperty().get()).isEqualTo(Theme.LIGHT);
        vm.toggleTheme();
        assertThat(settings.theme()).isEqualTo(Theme.DARK);
        assertThat(new MainViewModel(gateway, executor, settings, contents, log, operations).themeProperty().get())
                .isEqualTo(Theme.DARK);
    }

    @Test
    void exportedContentsImportBackAsOneAtomicBatch() throws Exception {
        contents.replicaContents(1, List.of(new KeyEntry("a", "1", 1, null), new KeyEntry("b", "2", 1, null)));
        contents.replicaContents(2, List.of(new KeyEntry("a", "1", 1, null), new KeyEntry("b", "2", 1, null)));
        Path file = dir.resolve("contents.json");
        vm.exportContents(file);
        assertThat(vm.statusProperty().get()).isEqualTo("exported 2 keys to " + file);

        operations.replicaProperty().set(2);
        vm.importBatch(file);
        assertThat(gateway.calls).containsExactly("execute 2 [put a, put b]");
        assertThat(vm.statusProperty().get()).startsWith("imported 2 keys committed as t2.1.");
    }

    @Test
    void aBadImportFileSaysWhyAndSendsNothing() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"a\": \"1\", \"\": \"2\"}", StandardCharsets.UTF_8);
        vm.importBatch(file);
        assertThat(gateway.calls).isEmpty();
        assertThat(vm.statusProperty().get())
                .isEqualTo("import of bad.json failed, nothing written: key is empty; a key needs 1 to 1024 bytes of UTF-8");
    }

    @Test
    void theLogExportsAsCsvOrJsonByFileName() throws Exception {
        vm.exportLog(dir.resolve("log.csv"));
        vm.exportLog(dir.resolve("log.json"));
        assertThat(Files.readString(dir.resolve("log.csv"))).startsWith("txId,keys,operation,coordinator,replica1,replica2,");
        assertThat(Files.readString(dir.resolve("log.json")).strip()).isEqualTo("[ ]");
    }
}
