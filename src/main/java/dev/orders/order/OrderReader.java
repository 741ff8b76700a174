package dev.orders.order;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the raw bytes of one message into a valid {@link Order} or a {@link Rejection}, following the validation
 * rules of the order contract. Thread-safe; never throws for bad input.
 *
 * <p>The message is read in one pass over Jackson's token stream into the values of the contract's fields, without a
 * tree of the whole document; the rules are then checked over those values in a fixed order, so that the first rule
 * an order breaks is the one reported, whatever the order of its fields.
 */
public final class OrderReader {
    static final int MAX_STRING_LENGTH = 1024;
    static final int MAX_ITEMS = 1000;

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final JsonFactory factory = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // An order nests three levels deep; deeper input is hostile and is refused early.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build())
            .build();

    public ReadResult read(byte[] payload) {
        CharBuffer text;
        try {
            text = strictUtf8().decode(ByteBuffer.wrap(payload));
        } catch (CharacterCodingException e) {
            return invalid(RejectionCode.NOT_JSON, "payload is not valid UTF-8", null);
        }
        Fields order;
        try (JsonParser parser = factory.createParser(text.array(), text.arrayOffset(), text.remaining())) {
            order = parser.nextToken() == JsonToken.START_OBJECT ? Fields.read(parser, Shape.ORDER) : null;
            // Any other top-level value is read to its end too, so that broken JSON is reported as such.
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return invalid(RejectionCode.NOT_JSON, "not valid JSON: more than one value", null);
            }
        } catch (JsonProcessingException e) {
            return invalid(RejectionCode.NOT_JSON, "not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            return invalid(RejectionCode.NOT_JSON, "not valid JSON", null);
        }
        if (order == null) {
            return invalid(RejectionCode.NOT_JSON, "the top level must be a JSON object", null);
        }
        try {
            return new ReadResult.Valid(readOrder(order), order.unknownInAll());
        } catch (RuleViolation violation) {
            String knownUid = order.get("order_uid") instanceof String uid && OrderId.isValid(uid) ? uid : null;
            return invalid(violation.code, violation.getMessage(), knownUid);
        }
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static ReadResult invalid(RejectionCode code, String message, String orderUid) {
        return new ReadResult.Invalid(new Rejection(code, message), orderUid);
    }

    private static Order readOrder(Fields node) {
        String uid = string(node, "", "order_uid", Emptiness.NOT_EMPTY);
        if (!OrderId.isValid(uid)) {
            throw RuleViolation.value("order_uid", "must be 1-64 characters from A-Z a-z 0-9 _ -");
        }
        return new Order(
                uid,
                string(node, "", "track_number", Emptiness.NOT_EMPTY),
                string(node, "", "entry", Emptiness.NOT_EMPTY),
                readDelivery(object(node, "", "delivery")),
                readPayment(object(node, "", "payment")),
                readItems(node),
                string(node, "", "locale", Emptiness.NOT_EMPTY),
                string(node, "", "internal_signature", Emptiness.MAY_BE_EMPTY),
                string(node, "", "customer_id", Emptiness.NOT_EMPTY),
                string(node, "", "delivery_service", Emptiness.NOT_EMPTY),
                string(node, "", "shardkey", Emptiness.NOT_EMPTY),
                nonNegative(node, "", "sm_id"),
                timestamp(node, "", "date_created"),
                string(node, "", "oof_shard", Emptiness.NOT_EMPTY));
    }

    private static Order.Delivery readDelivery(Fields node) {
        String at = "delivery.";
        String email = string(node, at, "email", Emptiness.MAY_BE_EMPTY);
        if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
            throw RuleViolation.value(at + "email", "must be empty or of the form local@domain");
        }
        return new Order.Delivery(
                string(node, at, "name", Emptiness.NOT_EMPTY),
                string(node, at, "phone", Emptiness.NOT_EMPTY),
                string(node, at, "zip", Emptiness.MAY_BE_EMPTY),
                string(node, at, "city", Emptiness.NOT_EMPTY),
                string(node, at, "address", Emptiness.NOT_EMPTY),
                string(node, at, "region", Emptiness.MAY_BE_EMPTY),
                email);
    }

    private static Order.Payment readPayment(Fields node) {
        String at = "payment.";
        String currency = string(node, at, "currency", Emptiness.NOT_EMPTY);
        if (!CURRENCY.matcher(currency).matches()) {
            throw RuleViolation.value(at + "currency", "must be 3 upper-case letters");
        }
        return new Order.Payment(
                string(node, at, "transaction", Emptiness.NOT_EMPTY),
                string(node, at, "request_id", Emptiness.MAY_BE_EMPTY),
                currency,
                string(node, at, "provider", Emptiness.NOT_EMPTY),
                nonNegative(node, at, "amount"),
                nonNegative(node, at, "payment_dt"),
                string(node, at, "bank", Emptiness.MAY_BE_EMPTY),
                nonNegative(node, at, "delivery_cost"),
                nonNegative(node, at, "goods_total"),
                nonNegative(node, at, "custom_fee"));
    }

    private static List<Order.Item> readItems(Fields order) {
        if (!(required(order, "", "items") instanceof List<?> elements)) {
            throw RuleViolation.schema("items", "must be an array");
        }
        if (elements.isEmpty() || elements.size() > MAX_ITEMS) {
            throw RuleViolation.value("items", "must hold 1 to " + MAX_ITEMS + " items");
        }
        List<Order.Item> items = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String at = "items[" + i + "]";
            if (!(elements.get(i) instanceof Fields element)) {
                throw RuleViolation.schema(at, "must be an object");
            }
            items.add(readItem(element, at + "."));
        }
        return items;
    }

    private static Order.Item readItem(Fields node, String at) {
        long sale = integer(node, at, "sale");
        if (sale < 0 || sale > 100) {
            throw RuleViolation.value(at + "sale", "must be an integer from 0 to 100");
        }
        return new Order.Item(
                nonNegative(node, at, "chrt_id"),
                string(node, at, "track_number", Emptiness.NOT_EMPTY),
                nonNegative(node, at, "price"),
                string(node, at, "rid", Emptiness.NOT_EMPTY),
                string(node, at, "name", Emptiness.NOT_EMPTY),
                (int) sale,
                string(node, at, "size", Emptiness.MAY_BE_EMPTY),
                nonNegative(node, at, "total_price"),
                nonNegative(node, at, "nm_id"),
                string(node, at, "brand", Emptiness.MAY_BE_EMPTY),
                nonNegative(node, at, "status"));
    }

    private enum Emptiness { NOT_EMPTY, MAY_BE_EMPTY }

    /** A field's value; JSON's null counts as absent. */
    private static Object required(Fields parent, String at, String name) {
        Object value = parent.get(name);
        if (value == null) {
            throw RuleViolation.schema(at + name, "is required");
        }
        return value;
    }

    private static Fields object(Fields parent, String at, String name) {
        if (!(required(parent, at, name) instanceof Fields object)) {
            throw RuleViolation.schema(at + name, "must be an object");
        }
        return object;
    }

    private static String string(Fields parent, String at, String name, Emptiness emptiness) {
        if (!(required(parent, at, name) instanceof String value)) {
            throw RuleViolation.schema(at + name, "must be a string");
        }
        if (emptiness == Emptiness.NOT_EMPTY && value.isEmpty()) {
            throw RuleViolation.value(at + name, "must not be empty");
        }
        if (value.length() > MAX_STRING_LENGTH && value.codePointCount(0, value.length()) > MAX_STRING_LENGTH) {
            throw RuleViolation.value(at + name, "must be at most " + MAX_STRING_LENGTH + " characters");
        }
        checkStorableText(value, at + name);
        return value;
    }

    /** PostgreSQL text holds neither NUL nor unpaired surrogates; refusing them here keeps them out of the retry loop. */
    private static void checkStorableText(String value, String path) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw RuleViolation.value(path, "must not contain the NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw RuleViolation.value(path, "must not contain an unpaired surrogate");
            }
        }
    }

    private static long integer(Fields parent, String at, String name) {
        Object value = required(parent, at, name);
        if (value == Unread.INTEGER_BEYOND_64_BITS) {
            throw RuleViolation.value(at + name, "must fit a signed 64-bit integer");
        }
        if (!(value instanceof Long integer)) {
            throw RuleViolation.schema(at + name, "must be an integer");
        }
        return integer;
    }

    private static long nonNegative(Fields parent, String at, String name) {
        long value = integer(parent, at, name);
        if (value < 0) {
            throw RuleViolation.value(at + name, "must be a non-negative integer");
        }
        return value;
    }

    private static Instant timestamp(Fields parent, String at, String name) {
        if (!(required(parent, at, name) instanceof String value)) {
            throw RuleViolation.schema(at + name, "must be a string");
        }
        if (!Rfc3339.hasForm(value)) {
            throw RuleViolation.value(at + name, "must be an RFC 3339 timestamp with a zone, e.g. 2021-11-26T06:22:19Z");
        }
        Instant instant;
        try {
            instant = Rfc3339.parse(value);
        } catch (DateTimeException e) {
            throw RuleViolation.value(at + name, "is not a real date and time");
        }
        // PostgreSQL keeps microseconds; finer digits could not be kept "exactly as the same instant".
        if (instant.getNano() % 1000 != 0) {
            throw RuleViolation.value(at + name, "must not be more precise than microseconds");
        }
        return instant;
    }

    /** The fields the contract names in one kind of object, and which of them hold objects that are read too. */
    private enum Shape {
        DELIVERY(List.of("name", "phone", "zip", "city", "address", "region", "email"), Map.of(), Map.of()),
        PAYMENT(List.of("transaction", "request_id", "currency", "provider", "amount", "payment_dt", "bank",
                "delivery_cost", "goods_total", "custom_fee"), Map.of(), Map.of()),
        ITEM(List.of("chrt_id", "track_number", "price", "rid", "name", "sale", "size", "total_price", "nm_id",
                "brand", "status"), Map.of(), Map.of()),
        ORDER(List.of("order_uid", "track_number", "entry", "delivery", "payment", "items", "locale",
                "internal_signature", "customer_id", "delivery_service", "shardkey", "sm_id", "date_created",
                "oof_shard"), Map.of("delivery", DELIVERY, "payment", PAYMENT), Map.of("items", ITEM));

        private final Map<String, Integer> positions = new HashMap<>();
        /** By position: the shape of the object a field holds, or of the objects in the array it holds, or null. */
        private final Shape[] objects;
        private final Shape[] arrays;

        Shape(List<String> names, Map<String, Shape> objects, Map<String, Shape> arrays) {
            this.objects = new Shape[names.size()];
            this.arrays = new Shape[names.size()];
            for (int i = 0; i < names.size(); i++) {
                positions.put(names.get(i), i);
                this.objects[i] = objects.get(names.get(i));
                this.arrays[i] = arrays.get(names.get(i));
            }
        }
    }

    /** A value of a named field that the rules only tell apart from the string, integer or object they expect. */
    private enum Unread { INTEGER_BEYOND_64_BITS, OTHER }

    /**
     * The values of one JSON object's named fields, as read from the token stream: a String, a Long, a nested
     * {@code Fields}, a List of such values for an array of objects, an {@link Unread}, or null for JSON's null or
     * an absent field. Fields outside the contract are skipped and counted.
     */
    private static final class Fields {
        private final Shape shape;
        private final Object[] values;
        private int unknown;

        private Fields(Shape shape) {
            this.shape = shape;
            this.values = new Object[shape.objects.length];
        }

        /** Reads the object whose START_OBJECT the parser is at, up to and including its END_OBJECT. */
        static Fields read(JsonParser parser, Shape shape) throws IOException {
            Fields fields = new Fields(shape);
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                Integer position = shape.positions.get(name);
                if (position == null) {
                    fields.unknown++;
                    parser.skipChildren();
                } else {
                    fields.values[position] = value(parser, token, shape.objects[position], shape.arrays[position]);
                }
            }
            return fields;
        }

        private static Object value(JsonParser parser, JsonToken token, Shape object, Shape elements)
                throws IOException {
            return switch (token) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? Unread.INTEGER_BEYOND_64_BITS : (Object) parser.getLongValue();
                case VALUE_NULL -> null;
                case START_OBJECT -> object != null ? read(parser, object) : skipped(parser);
                case START_ARRAY -> elements != null ? readArray(parser, elements) : skipped(parser);
                default -> Unread.OTHER;
            };
        }

        private static List<Object> readArray(JsonParser parser, Shape elements) throws IOException {
            List<Object> values = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                values.add(value(parser, token, elements, null));
            }
            return values;
        }

        private static Unread skipped(JsonParser parser) throws IOException {
            parser.skipChildren();
            return Unread.OTHER;
        }

        Object get(String name) {
            return values[shape.positions.get(name)];
        }

        /** The fields outside the contract in this object and in the objects it holds. */
        int unknownInAll() {
            int all = unknown;
            for (Object value : values) {
                if (value instanceof Fields nested) {
                    all += nested.unknownInAll();
                } else if (value instanceof List<?> elements) {
                    for (Object element : elements) {
                        if (element instanceof Fields nested) {
                            all += nested.unknownInAll();
                        }
                    }
                }
            }
            return all;
        }
    }

    /** Control flow for the first broken rule; carries no stack trace, since bad input is expected. */
    private static final class RuleViolation extends RuntimeException {
        final RejectionCode code;

        private RuleViolation(RejectionCode code, String path, String problem) {
            super(path + ": " + problem, null, false, false);
            this.code = code;
        }

        static RuleViolation schema(String path, String problem) {
            return new RuleViolation(RejectionCode.SCHEMA, path, problem);
        }

        static RuleViolation value(String path, String problem) {
            return new RuleViolation(RejectionCode.INVALID_VALUE, path, problem);
        }
    }
}
