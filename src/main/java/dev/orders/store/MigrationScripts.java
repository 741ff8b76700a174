package dev.orders.store;

import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The schema's SQL migrations, named for Flyway so that it does not look for them. To find them on the class path it
 * reads the name of every entry of the service's jar, 31,000 of them, on the start's longest path: 15% of the
 * migration thread's time in a profiled start (docs/performance-log.md, start-up, session 39). A test keeps
 * {@link #NAMES} equal to the scripts in {@value #DIRECTORY}.
 */
final class MigrationScripts implements ResourceProvider {
    static final String DIRECTORY = "db/migration";
    static final List<String> NAMES = List.of(
            "V1__orders_and_rejected_messages.sql",
            "V2__rejected_message_resubmissions.sql",
            "V4__delivery_and_payment_are_columns_of_the_order.sql",
            "V5__order_uid_check_without_a_counted_repetition.sql",
            "V6__order_uid_compared_byte_by_byte.sql");

    /** Flyway finds Java migrations by a scan too unless it is told there are no classes to look at. */
    static final ClassProvider<JavaMigration> NO_MIGRATION_CLASSES = List::of;

    private final List<LoadableResource> scripts = NAMES.stream().<LoadableResource>map(Script::new).toList();

    @Override
    public LoadableResource getResource(String name) {
        return scripts.stream().filter(script -> script.getRelativePath().equals(name)).findFirst().orElse(null);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return scripts.stream()
                .filter(script -> script.getFilename().startsWith(prefix)
                        && Arrays.stream(suffixes).anyMatch(script.getFilename()::endsWith))
                .toList();
    }

    /** One script, read from the class path as Flyway's scan would have found it: its checksum stays the same. */
    private static final class Script extends LoadableResource {
        private final String name;

        Script(String name) {
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = MigrationScripts.class.getClassLoader().getResourceAsStream(getAbsolutePath());
            if (in == null) {
                throw new UncheckedIOException(
                        new FileNotFoundException(getAbsolutePath() + " is not on the class path"));
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return DIRECTORY + "/" + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return getAbsolutePath();
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
