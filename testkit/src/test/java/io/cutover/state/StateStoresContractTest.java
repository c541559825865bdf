package io.cutover.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.test.contract.StateStoreContract;
import io.cutover.spi.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoresContractTest {

    @Nested
    class InMemory extends StateStoreContract {
        @Override
        protected StateStore newStore() {
            return new InMemoryStateStore();
        }
    }

    @Nested
    class InMemoryThroughJson extends StateStoreContract {
        @Override
        protected StateStore newStore() {
            return InMemoryStateStore.encodingJson();
        }
    }

    @Nested
    class InFiles extends StateStoreContract {
        @TempDir
        Path dir;

        @Override
        protected StateStore newStore() {
            return new FileStateStore(dir);
        }

        @Test
        void aCorruptFileIsAClearErrorNamingTheFile() throws IOException {
            store.save("myapp", StateStoreContract.sample(), null);
            Files.writeString(dir.resolve("myapp.json"), "2\n{\"name\": \"myapp\", \"phase\": \"PROGRE");
            assertThatThrownBy(() -> store.load("myapp"))
                    .isInstanceOf(CutoverException.class)
                    .hasMessageContaining("myapp.json")
                    .hasMessageContaining("corrupt")
                    .satisfies(e -> assertThat(((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.STATE));
        }

        @Test
        void aFileWithoutVersionIsCorrupt() throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("myapp.json"), "{}");
            assertThatThrownBy(() -> store.load("myapp")).hasMessageContaining("no version line");
        }

        @Test
        void noTemporaryFilesAreLeftBehind() throws IOException {
            String v = store.save("myapp", StateStoreContract.sample(), null);
            store.save("myapp", StateStoreContract.sample(), v);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("myapp.json", "myapp.lock");
            }
        }

        @Test
        void unsafeNamesAreRefused() {
            assertThatThrownBy(() -> store.load("../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rollout name");
        }
    }
}
