package dev.orders.faults;

import dev.orders.cli.OrderGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Streams of generated orders, as the publish command makes them: mostly valid, some broken, some sent twice. */
final class Corpus {
    private Corpus() {
    }

    /** {@code count} messages: about 5% invalid and 1% identical repeats of an earlier valid order. */
    static List<Message> orders(long seed, int count) {
        OrderGenerator generator = new OrderGenerator(seed);
        Random random = new Random(seed);
        List<Message> messages = new ArrayList<>(count);
        List<Message.Valid> valid = new ArrayList<>();
        while (messages.size() < count) {
            double roll = random.nextDouble();
            if (roll < 0.05) {
                OrderGenerator.Invalid invalid = generator.invalidOrder();
                messages.add(new Message.Invalid(invalid.expectedCode(), "generated " + invalid.expectedCode(), invalid.payload()));
            } else if (roll < 0.06 && !valid.isEmpty()) {
                messages.add(new Message.Repeat(valid.get(random.nextInt(valid.size()))));
            } else {
                Message.Valid order = Message.Valid.of(generator.validOrder());
                valid.add(order);
                messages.add(order);
            }
        }
        return messages;
    }
}
