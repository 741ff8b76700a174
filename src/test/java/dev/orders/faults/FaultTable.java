package dev.orders.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The harness's result: a Markdown table, one row per scenario, printed and written to target/fault-harness.md. */
final class FaultTable {
    private final List<ScenarioResult> rows = new ArrayList<>();

    synchronized void add(ScenarioResult row) {
        rows.add(row);
    }

    synchronized String markdown(Scale scale) {
        StringBuilder table = new StringBuilder("Fault harness, scale " + scale.name() + "\n\n");
        table.append(line(ScenarioResult.HEADER));
        table.append(line(ScenarioResult.HEADER.stream().map(cell -> "---").toList()));
        rows.forEach(row -> table.append(line(row.cells())));
        return table.toString();
    }

    private static String line(List<String> cells) {
        return cells.stream().map(cell -> cell.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    void write(Scale scale) {
        String markdown = markdown(scale);
        System.out.println(markdown);
        try {
            Files.writeString(Path.of("target", "fault-harness.md"), markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
