package dev.orders.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The harness's result: a Markdown table, one row per scenario, written to target/fault-harness.md after every
 * scenario (so a run cut short keeps its rows) and printed at the end.
 */
final class FaultTable {
    private final Scale scale;
    private final List<ScenarioResult> rows = new ArrayList<>();

    FaultTable(Scale scale) {
        this.scale = scale;
    }

    synchronized void add(ScenarioResult row) {
        rows.add(row);
        write();
    }

    synchronized String markdown() {
        StringBuilder table = new StringBuilder("Fault harness, scale " + scale.name() + "\n\n");
        table.append(line(ScenarioResult.HEADER));
        table.append(line(ScenarioResult.HEADER.stream().map(cell -> "---").toList()));
        rows.forEach(row -> table.append(line(row.cells())));
        return table.toString();
    }

    private static String line(List<String> cells) {
        return cells.stream().map(cell -> cell.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    void print() {
        System.out.println(markdown());
    }

    private void write() {
        String markdown = markdown();
        try {
            Files.writeString(Path.of("target", "fault-harness.md"), markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
