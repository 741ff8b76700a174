package dev.orders.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orders.cli.OrderGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A corpus of malformed messages of every kind the issue lists, with valid orders between them. Deterministic for a
 * seed. Strings that look like SQL or markup are not malformed: orders holding them are valid and must be stored.
 */
final class HostileMessages {
    /** The service runs with this payload limit in the hostile scenario, so that "too large" stays cheap to send. */
    static final int PAYLOAD_LIMIT = 64 * 1024;
    private static final int DEPTH = 10_000;
    private static final int LARGE_PAYLOAD_BURST = 600;
    private static final List<String> INJECTIONS = List.of(
            "'; DROP TABLE orders; --", "\" OR 1=1 --", "Robert'); DELETE FROM payments WHERE ('1'='1",
            "<script>alert(document.cookie)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
            "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "\u202Eevil\u202C", "%00%0d%0aSet-Cookie: a=b", "\\x00\\'\\\"");

    private final Random random;
    private final OrderGenerator generator;
    private final List<String> paths;
    private final List<Supplier<Message>> kinds;
    private int wrongTypes;
    // The large kinds are made once and sent many times, so that the long scale's corpus fits the test JVM's heap.
    private final Message deeplyNested;
    /** A valid order but for an unknown field nested 10,000 deep: the reader must not recurse that far. */
    private final Message deeplyNestedInside;
    private final List<Message> tooLarge = new ArrayList<>();

    private HostileMessages(long seed) {
        this.random = new Random(seed);
        this.generator = new OrderGenerator(seed);
        this.paths = leafAndBranchPaths(tree(generator.validOrder()), "");
        this.deeplyNested = new Message.Invalid("not_json", "10,000-deep nesting",
                ("[".repeat(DEPTH) + "]".repeat(DEPTH)).getBytes(StandardCharsets.UTF_8));
        String order = generator.validOrder();
        this.deeplyNestedInside = new Message.Invalid(null, "10,000-deep unknown field", (order.substring(0, order.length() - 1)
                + ",\"extra\":" + "{\"x\":".repeat(DEPTH) + "1" + "}".repeat(DEPTH) + "}").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 16; i++) {
            ObjectNode large = tree(generator.validOrder());
            large.put("padding", "p".repeat(PAYLOAD_LIMIT + random.nextInt(8 * PAYLOAD_LIMIT)));
            tooLarge.add(new Message.Invalid("too_large", "over the size limit", large.toString().getBytes(StandardCharsets.UTF_8)));
        }
        this.kinds = List.of(this::randomBytes, this::truncated, () -> deeplyNested, () -> deeplyNestedInside,
                this::overlongString, this::tooLarge, this::hugeNumber, this::wrongType, this::wrongType,
                this::wrongType, this::duplicateKey, this::rawNul, this::escapedNul, this::invalidUtf8,
                this::injectionInOrderUid);
    }

    /** {@code malformed} bad messages, each followed now and then by a valid order, some of those full of injections. */
    static List<Message> corpus(long seed, int malformed) {
        HostileMessages corpus = new HostileMessages(seed);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < malformed; i++) {
            if (i == malformed / 2) {
                messages.addAll(corpus.burstOfLargePayloads());
            }
            messages.add(corpus.kinds.get(i % corpus.kinds.size()).get());
            if (i % 9 == 8) {
                messages.add(i % 2 == 0 ? corpus.orderWithInjections() : Message.Valid.of(corpus.generator.validOrder()));
            }
        }
        return messages;
    }

    /** Payloads just under the broker's 1 MB limit, one after another: together far more than the service's heap. */
    private List<Message> burstOfLargePayloads() {
        ObjectNode order = tree(generator.validOrder());
        order.put("padding", "p".repeat(900 * 1024));
        Message large = new Message.Invalid("too_large", "burst of 900 KiB payloads", order.toString().getBytes(StandardCharsets.UTF_8));
        return Collections.nCopies(LARGE_PAYLOAD_BURST, large);
    }

    private Message randomBytes() {
        byte[] bytes = new byte[random.nextInt(2_000)];
        random.nextBytes(bytes);
        return new Message.Invalid("not_json", "random bytes", bytes);
    }

    private Message truncated() {
        byte[] order = generator.validOrder().getBytes(StandardCharsets.UTF_8);
        int length = 1 + random.nextInt(order.length - 1);
        return new Message.Invalid("not_json", "truncated JSON", Arrays.copyOf(order, length));
    }

    private Message overlongString() {
        return replaced("overlong string", "invalid_value", "delivery.name", JsonNodeFactory.instance.textNode("x".repeat(1_025 + random.nextInt(20_000))));
    }

    private Message tooLarge() {
        return tooLarge.get(random.nextInt(tooLarge.size()));
    }

    private Message hugeNumber() {
        List<String> numbers = List.of("1e400", "-1e400", "123456789012345678901234567890", "9223372036854775808",
                "9".repeat(5_000), "1.5", "0.0000000001", "-1");
        String number = numbers.get(random.nextInt(numbers.size()));
        String json = generator.validOrder().replaceFirst("\"amount\":\\d+", "\"amount\":" + number);
        return new Message.Invalid(null, "huge or fractional number", json.getBytes(StandardCharsets.UTF_8));
    }

    /** The next field in turn, at any depth, so that every path gets its turn, given a value of another JSON type. */
    private Message wrongType() {
        String path = paths.get(wrongTypes++ % paths.size());
        JsonNode current = at(tree(generator.validOrder()), path);
        List<JsonNode> others = new ArrayList<>(List.of(JsonNodeFactory.instance.nullNode(),
                JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.objectNode()));
        if (!current.isTextual()) {
            others.add(JsonNodeFactory.instance.textNode("12"));
        }
        if (!current.isNumber()) {
            others.add(JsonNodeFactory.instance.numberNode(12));
        }
        if (!current.isArray()) {
            others.add(JsonNodeFactory.instance.arrayNode().add("x"));
        }
        if (current.isObject()) {
            others.remove(JsonNodeFactory.instance.objectNode());
        }
        return replaced("wrong type at " + path, "schema", path, others.get(random.nextInt(others.size())));
    }

    private Message duplicateKey() {
        String json = generator.validOrder();
        String twice = random.nextBoolean()
                ? json.replaceFirst("\\{\"order_uid\":", "{\"order_uid\":\"other\",\"order_uid\":")
                : json.replaceFirst("\"currency\":", "\"currency\":\"EUR\",\"currency\":");
        return new Message.Invalid("not_json", "duplicate key", twice.getBytes(StandardCharsets.UTF_8));
    }

    private Message rawNul() {
        String json = generator.validOrder().replaceFirst("\"name\":\"Test", "\"name\":\"Te\u0000st");
        return new Message.Invalid("not_json", "raw NUL byte", json.getBytes(StandardCharsets.UTF_8));
    }

    private Message escapedNul() {
        String json = generator.validOrder().replaceFirst("\"name\":\"Test", "\"name\":\"Te\\\\u0000st");
        return new Message.Invalid(null, "escaped NUL character", json.getBytes(StandardCharsets.UTF_8));
    }

    private Message invalidUtf8() {
        List<byte[]> sequences = List.of(new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xE2, (byte) 0x82}, new byte[]{(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
        String[] halves = generator.validOrder().split("\"city\":\"", 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((halves[0] + "\"city\":\"").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(sequences.get(random.nextInt(sequences.size())));
        bytes.writeBytes(halves[1].getBytes(StandardCharsets.UTF_8));
        return new Message.Invalid("not_json", "invalid UTF-8", bytes.toByteArray());
    }

    private Message injectionInOrderUid() {
        return replaced("injection in order_uid", "invalid_value", "order_uid", JsonNodeFactory.instance.textNode(injection()));
    }

    /** Valid: every free-text field holds SQL or markup, which must be stored and served back as plain text. */
    private Message.Valid orderWithInjections() {
        ObjectNode order = tree(generator.validOrder());
        for (String path : List.of("track_number", "entry", "locale", "internal_signature", "customer_id",
                "delivery_service", "shardkey", "oof_shard", "delivery.name", "delivery.phone", "delivery.zip",
                "delivery.city", "delivery.address", "delivery.region", "payment.request_id", "payment.provider",
                "payment.bank", "items.0.track_number", "items.0.rid", "items.0.name", "items.0.size", "items.0.brand")) {
            set(order, path, JsonNodeFactory.instance.textNode(injection()));
        }
        return Message.Valid.of(order.toString());
    }

    private String injection() {
        return INJECTIONS.get(random.nextInt(INJECTIONS.size()));
    }

    private Message replaced(String kind, String code, String path, JsonNode value) {
        ObjectNode order = tree(generator.validOrder());
        set(order, path, value);
        return new Message.Invalid(code, kind, order.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> leafAndBranchPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(field -> {
                String path = prefix + field.getKey();
                paths.add(path);
                paths.addAll(leafAndBranchPaths(field.getValue(), path + "."));
            });
        } else if (node.isArray() && !node.isEmpty()) {
            paths.add(prefix + "0");
            paths.addAll(leafAndBranchPaths(node.get(0), prefix + "0."));
        }
        return paths;
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String step : path.split("\\.")) {
            node = node.isArray() ? node.get(Integer.parseInt(step)) : node.get(step);
        }
        return node;
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        int last = path.lastIndexOf('.');
        JsonNode parent = last < 0 ? root : at(root, path.substring(0, last));
        String step = path.substring(last + 1);
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(step), value);
        } else {
            ((ObjectNode) parent).set(step, value);
        }
    }

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) Message.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
