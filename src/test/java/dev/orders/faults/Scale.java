package dev.orders.faults;

import java.time.Duration;

/**
 * How hard the fault harness pushes. The short scale runs with every {@code ./mvnw verify}; the long one is asked for
 * with {@code -Dfaults.scale=long}.
 *
 * @param streamedOrders  messages streamed through each crash, outage and shutdown scenario
 * @param ratePerSecond   how fast they are published
 * @param kills           how many times the crash scenario kills the service
 * @param hostileMessages malformed messages in the hostile corpus, besides the valid orders between them
 * @param longOutage      how long PostgreSQL stays down in the long-outage step
 * @param slowClients     connections that trickle their request a byte at a time
 */
record Scale(String name, int streamedOrders, int ratePerSecond, int kills, int hostileMessages, Duration longOutage,
             int slowClients) {

    static Scale fromSystemProperties() {
        String name = System.getProperty("faults.scale", "short");
        return switch (name) {
            case "short" -> new Scale(name, 20_000, 500, 3, 10_000, Duration.ofSeconds(30), 200);
            case "long" -> new Scale(name, 200_000, 2_000, 10, 100_000, Duration.ofSeconds(120), 1_000);
            default -> throw new IllegalArgumentException("faults.scale must be short or long, got " + name);
        };
    }
}
