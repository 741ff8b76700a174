package dev.orders.cli;

import picocli.CommandLine.Option;

/** Where PostgreSQL is; shared by the service and the operator tools. */
final class DatabaseOptions {
    @Option(names = "--db-url", paramLabel = "JDBC_URL", defaultValue = "${env:ORDERS_DB_URL}",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/orders (ORDERS_DB_URL)")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:ORDERS_DB_USER:-orders}",
            description = "PostgreSQL user (ORDERS_DB_USER, default ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:ORDERS_DB_PASSWORD:-}",
            description = "PostgreSQL password (ORDERS_DB_PASSWORD)")
    String password;

    boolean hasUrl() {
        return url != null && !url.isBlank();
    }

    boolean isPostgresql() {
        return url.startsWith("jdbc:postgresql:");
    }
}
