package dev.orders.cli;

import dev.orders.ingest.IngestMetrics;
import dev.orders.ingest.MessageJudge;
import dev.orders.ingest.ReceivedMessage;
import dev.orders.config.Sizes;
import dev.orders.order.OrderReader;
import dev.orders.order.OrderWriter;
import dev.orders.order.RejectionCode;
import dev.orders.store.ActivityQueries;
import dev.orders.store.Database;
import dev.orders.store.Decision;
import dev.orders.store.OrderStore;
import dev.orders.store.Outcome;
import dev.orders.store.Page;
import dev.orders.store.RejectedMessage;
import dev.orders.store.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Operator tools for rejected messages: list them, and re-submit chosen ones once the cause is fixed. */
@Command(name = "rejected", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Lists rejected messages, or re-submits chosen ones to the pipeline and records the outcome.",
        subcommands = {RejectedCommand.ListRejected.class, RejectedCommand.Resubmit.class})
final class RejectedCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: rejected list, or rejected resubmit ID…");
    }

    static Database open(CommandLine commandLine, DatabaseOptions db) throws StoreUnavailableException {
        if (!db.hasUrl() || !db.isPostgresql()) {
            throw new CommandLine.ParameterException(commandLine,
                    "--db-url (ORDERS_DB_URL) must be the service's PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/orders");
        }
        return Database.open(db.url, db.user, db.password, 2, Duration.ofSeconds(10), new SimpleMeterRegistry());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = "Lists rejected messages, newest first; payloads are not shown (they may hold personal data).")
    static final class ListRejected implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DatabaseOptions db;

        @Option(names = "--code", paramLabel = "CODE",
                description = "Only this rejection code: too_large, not_json, schema, invalid_value or conflict")
        String code;

        @Option(names = "--since", paramLabel = "TIME",
                description = "Rejected at or after: an instant (2026-11-21T10:00:00Z) or a time ago (30m, 24h)")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Rejected before: an instant or a time ago")
        String until;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws Exception {
            CommandLine commandLine = spec.commandLine();
            if (code != null && Arrays.stream(RejectionCode.values()).noneMatch(c -> c.code().equals(code))) {
                throw new CommandLine.ParameterException(commandLine,
                        "--code must be one of too_large, not_json, schema, invalid_value, conflict; got '" + code + "'");
            }
            if (limit < 1 || limit > 10_000) {
                throw new CommandLine.ParameterException(commandLine, "--limit must be 1-10000, got " + limit);
            }
            Instant from = since == null ? Instant.EPOCH : time(commandLine, "--since", since);
            Instant to = until == null ? Instant.parse("9999-12-31T00:00:00Z") : time(commandLine, "--until", until);
            try (Database database = open(commandLine, db)) {
                Page<RejectedMessage> page = new ActivityQueries(database.dataSource())
                        .rejected(limit, null, code, from, to, 0);
                PrintWriter out = commandLine.getOut();
                out.printf("%-8s %-27s %-14s %-24s %-28s %s%n", "ID", "REJECTED AT (UTC)", "CODE", "ORDER UID",
                        "BROKER POSITION", "REASON");
                for (RejectedMessage message : page.items()) {
                    out.printf("%-8d %-27s %-14s %-24s %-28s %s%n", message.id(), message.rejectedAt(), message.code(),
                            message.orderUid() == null ? "-" : message.orderUid(), message.position(), message.reason());
                }
                out.printf("%d rejected message%s%s%n", page.items().size(), page.items().size() == 1 ? "" : "s",
                        page.next() == null ? "" : " (more: raise --limit or narrow --since/--until)");
                out.flush();
            }
            return 0;
        }

        private static Instant time(CommandLine commandLine, String option, String text) {
            try {
                return Instant.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return Instant.now().minus(Sizes.parseDuration(text));
                } catch (IllegalArgumentException notADuration) {
                    throw new CommandLine.ParameterException(commandLine, option
                            + " must be an instant such as 2026-11-21T10:00:00Z or a time ago such as 24h, got '" + text + "'");
                }
            }
        }
    }

    @Command(name = "resubmit", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = "Judges the stored payloads of the given rejected messages again and commits the outcome, "
                    + "as the pipeline does; the outcome is recorded on each rejected message.")
    static final class Resubmit implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DatabaseOptions db;

        @Option(names = "--max-payload-bytes", paramLabel = "SIZE",
                defaultValue = "${env:ORDERS_MAX_PAYLOAD_BYTES:-1MiB}", converter = SettingConverters.Bytes.class,
                description = "The service's payload limit (ORDERS_MAX_PAYLOAD_BYTES, default ${DEFAULT-VALUE})")
        long maxPayloadBytes;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "Ids of rejected messages, as `rejected list` shows")
        List<Long> ids;

        @Override
        public Integer call() throws Exception {
            CommandLine commandLine = spec.commandLine();
            PrintWriter out = commandLine.getOut();
            int failed = 0;
            try (Database database = open(commandLine, db)) {
                ActivityQueries activity = new ActivityQueries(database.dataSource());
                OrderStore store = new OrderStore(database.dataSource());
                MessageJudge judge = new MessageJudge((int) Math.min(maxPayloadBytes, Integer.MAX_VALUE),
                        new OrderReader(), new OrderWriter(), new IngestMetrics(new SimpleMeterRegistry()));
                for (long id : ids) {
                    Optional<RejectedMessage> found = activity.rejectedMessage(id);
                    if (found.isEmpty()) {
                        out.printf("%d: no rejected message has this id%n", id);
                        failed++;
                        continue;
                    }
                    RejectedMessage message = found.get();
                    if (message.payload().length < message.payloadSize()) {
                        out.printf("%d: cannot be re-submitted: only the first %d of its %d bytes were kept%n", id,
                                message.payload().length, message.payloadSize());
                        failed++;
                        continue;
                    }
                    Decision decision = judge.judge(new ReceivedMessage(message.payload(), message.position(), null));
                    String outcome = describe(decision, store.commit(List.of(decision)).getFirst());
                    store.recordResubmission(id, outcome);
                    out.printf("%d: %s%n", id, outcome);
                }
            }
            out.flush();
            return failed == 0 ? 0 : 1;
        }

        private static String describe(Decision decision, Outcome outcome) {
            return switch (outcome) {
                case Outcome.Stored stored -> "stored order " + ((Decision.Accept) decision).order().orderUid();
                case Outcome.Duplicate duplicate ->
                        "duplicate: order " + ((Decision.Accept) decision).order().orderUid() + " is stored already";
                case Outcome.Rejected rejected -> "rejected again: " + rejected.rejection().code().code() + ": "
                        + rejected.rejection().message();
            };
        }
    }
}
