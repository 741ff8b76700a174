package dev.orders.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** What {@code --version} prints: the version Maven built and the Java it runs on, as a bug report should quote. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        try (InputStream version = Version.class.getResourceAsStream("/orders-version.txt")) {
            if (version == null) {
                throw new IOException("orders-version.txt is missing from the class path");
            }
            return new String[]{
                    "orders " + new String(version.readAllBytes(), StandardCharsets.UTF_8).strip(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }
}
