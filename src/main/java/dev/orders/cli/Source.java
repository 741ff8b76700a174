package dev.orders.cli;

/** The brokers orders can come from; written in any case in settings ({@code jetstream}, {@code kafka}). */
enum Source {
    JETSTREAM,
    KAFKA
}
