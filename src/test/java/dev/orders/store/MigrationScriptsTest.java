package dev.orders.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationScriptsTest {

    @Test
    void namesEveryScriptInTheMigrationDirectory() throws Exception {
        Path directory = Path.of(getClass().getClassLoader().getResource(MigrationScripts.DIRECTORY).toURI());

        try (Stream<Path> scripts = Files.list(directory)) {
            List<String> inDirectory = scripts.map(script -> script.getFileName().toString()).toList();
            assertThat(MigrationScripts.NAMES).as("a script not named here would never be applied")
                    .containsExactlyInAnyOrderElementsOf(inDirectory);
        }
    }

    @Test
    void givesFlywayTheVersionedScriptsAndNothingElse() {
        MigrationScripts scripts = new MigrationScripts();

        assertThat(scripts.getResources("V", new String[] {".sql"})).hasSize(MigrationScripts.NAMES.size());
        assertThat(scripts.getResources("R", new String[] {".sql"})).isEmpty();
        assertThat(scripts.getResources("beforeMigrate", new String[] {".sql"})).isEmpty();
    }
}
