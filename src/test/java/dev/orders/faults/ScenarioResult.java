package dev.orders.faults;

import java.util.List;

/** One row of the harness's table: what was sent, what PostgreSQL and the HTTP clients saw, what went wrong. */
record ScenarioResult(String scenario, String broker, Ledger ledger, long httpServerErrors, int crashes, String notes) {

    static final List<String> HEADER = List.of("scenario", "broker", "sent", "stored", "duplicates", "rejected", "lost",
            "stored twice", "misjudged", "HTTP 5xx", "crashes", "notes");

    List<String> cells() {
        return List.of(scenario, broker, n(ledger.sent()), n(ledger.stored()), n(ledger.duplicates()),
                n(ledger.rejected()), n(ledger.lost()), n(ledger.storedTwice()), n(ledger.misjudged()),
                n(httpServerErrors), n(crashes), notes);
    }

    private static String n(long value) {
        return String.format("%,d", value);
    }
}
