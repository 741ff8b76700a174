package dev.orders.support;

import dev.orders.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The program run as a separate OS process, as a user or an orchestrator runs it, with its output captured. */
public final class ServiceProcess implements AutoCloseable {
    /** The heap ./orders gives the service unless ORDERS_HEAP says otherwise. */
    public static final int HEAP_MIB = 512;

    private final Process process;
    private final Path output;

    private ServiceProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** With the tests' quieter logging. */
    public static ServiceProcess start(Map<String, String> environment, String... arguments) {
        return start(List.of("-Dlogback.configurationFile=logback-test.xml"), environment, arguments);
    }

    /** With the logging the service sets up for itself. */
    public static ServiceProcess startWithShippedLogging(Map<String, String> environment, String... arguments) {
        return start(List.of(), environment, arguments);
    }

    private static ServiceProcess start(List<String> jvmOptions, Map<String, String> environment, String... arguments) {
        try {
            Path output = Files.createTempFile("orders-process", ".log");
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(List.of("-Xmx" + HEAP_MIB + "m", "-XX:+ExitOnOutOfMemoryError"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(arguments));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("ORDERS_"));
            builder.environment().putAll(environment);
            return new ServiceProcess(builder.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("the process did not exit within " + seconds + " s; output:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends SIGTERM, as an orchestrator stopping the service does. */
    public void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL, as a crash or the OOM killer does: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The most resident memory the process has had, from /proc (Linux); 0 once it has exited. */
    public long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException exited) {
            return 0;
        }
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
