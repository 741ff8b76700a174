package dev.orders.order;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the raw bytes of one message into a valid {@link Order} or a {@link Rejection}, following the validation
 * rules of the order contract. Thread-safe; never throws for bad input.
 */
public final class OrderReader {
    static final int MAX_STRING_LENGTH = 1024;
    static final int MAX_ITEMS = 1000;

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private static final Set<String> ORDER_FIELDS = Set.of("order_uid", "track_number", "entry", "delivery",
            "payment", "items", "locale", "internal_signature", "customer_id", "delivery_service", "shardkey",
            "sm_id", "date_created", "oof_shard");
    private static final Set<String> DELIVERY_FIELDS = Set.of("name", "phone", "zip", "city", "address", "region",
            "email");
    private static final Set<String> PAYMENT_FIELDS = Set.of("transaction", "request_id", "currency", "provider",
            "amount", "payment_dt", "bank", "delivery_cost", "goods_total", "custom_fee");
    private static final Set<String> ITEM_FIELDS = Set.of("chrt_id", "track_number", "price", "rid", "name", "sale",
            "size", "total_price", "nm_id", "brand", "status");

    private final ObjectMapper mapper;

    public OrderReader() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // An order nests three levels deep; deeper input is hostile and is refused early.
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64)
                        .build())
                .build();
        mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ReadResult read(byte[] payload) {
        CharBuffer text;
        try {
            text = strictUtf8().decode(ByteBuffer.wrap(payload));
        } catch (CharacterCodingException e) {
            return invalid(RejectionCode.NOT_JSON, "payload is not valid UTF-8", null);
        }
        JsonNode root;
        try (JsonParser parser = mapper.createParser(text.array(), text.arrayOffset(), text.remaining())) {
            root = mapper.readTree(parser);
        } catch (JsonProcessingException e) {
            return invalid(RejectionCode.NOT_JSON, "not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            return invalid(RejectionCode.NOT_JSON, "not valid JSON", null);
        }
        if (root == null || !root.isObject()) {
            return invalid(RejectionCode.NOT_JSON, "the top level must be a JSON object", null);
        }
        try {
            Fields fields = new Fields();
            Order order = readOrder((ObjectNode) root, fields);
            return new ReadResult.Valid(order, fields.unknown);
        } catch (RuleViolation violation) {
            JsonNode uid = root.get("order_uid");
            String knownUid = uid != null && uid.isTextual() && OrderId.isValid(uid.textValue()) ? uid.textValue() : null;
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

    private Order readOrder(ObjectNode node, Fields fields) {
        fields.countUnknown(node, ORDER_FIELDS);
        String uid = string(node, "", "order_uid", Emptiness.NOT_EMPTY);
        if (!OrderId.isValid(uid)) {
            throw RuleViolation.value("order_uid", "must be 1-64 characters from A-Z a-z 0-9 _ -");
        }
        return new Order(
                uid,
                string(node, "", "track_number", Emptiness.NOT_EMPTY),
                string(node, "", "entry", Emptiness.NOT_EMPTY),
                readDelivery(object(node, "", "delivery"), fields),
                readPayment(object(node, "", "payment"), fields),
                readItems(node, fields),
                string(node, "", "locale", Emptiness.NOT_EMPTY),
                string(node, "", "internal_signature", Emptiness.MAY_BE_EMPTY),
                string(node, "", "customer_id", Emptiness.NOT_EMPTY),
                string(node, "", "delivery_service", Emptiness.NOT_EMPTY),
                string(node, "", "shardkey", Emptiness.NOT_EMPTY),
                nonNegative(node, "", "sm_id"),
                timestamp(node, "", "date_created"),
                string(node, "", "oof_shard", Emptiness.NOT_EMPTY));
    }

    private Order.Delivery readDelivery(ObjectNode node, Fields fields) {
        fields.countUnknown(node, DELIVERY_FIELDS);
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

    private Order.Payment readPayment(ObjectNode node, Fields fields) {
        fields.countUnknown(node, PAYMENT_FIELDS);
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

    private List<Order.Item> readItems(ObjectNode order, Fields fields) {
        JsonNode node = required(order, "", "items");
        if (!node.isArray()) {
            throw RuleViolation.schema("items", "must be an array");
        }
        if (node.isEmpty() || node.size() > MAX_ITEMS) {
            throw RuleViolation.value("items", "must hold 1 to " + MAX_ITEMS + " items");
        }
        List<Order.Item> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String at = "items[" + i + "]";
            JsonNode element = node.get(i);
            if (!element.isObject()) {
                throw RuleViolation.schema(at, "must be an object");
            }
            items.add(readItem((ObjectNode) element, at + ".", fields));
        }
        return items;
    }

    private Order.Item readItem(ObjectNode node, String at, Fields fields) {
        fields.countUnknown(node, ITEM_FIELDS);
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

    private static JsonNode required(ObjectNode parent, String at, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw RuleViolation.schema(at + name, "is required");
        }
        return node;
    }

    private static ObjectNode object(ObjectNode parent, String at, String name) {
        JsonNode node = required(parent, at, name);
        if (!node.isObject()) {
            throw RuleViolation.schema(at + name, "must be an object");
        }
        return (ObjectNode) node;
    }

    private static String string(ObjectNode parent, String at, String name, Emptiness emptiness) {
        JsonNode node = required(parent, at, name);
        if (!node.isTextual()) {
            throw RuleViolation.schema(at + name, "must be a string");
        }
        String value = node.textValue();
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

    private static long integer(ObjectNode parent, String at, String name) {
        JsonNode node = required(parent, at, name);
        if (!node.isIntegralNumber()) {
            throw RuleViolation.schema(at + name, "must be an integer");
        }
        if (!node.canConvertToLong()) {
            throw RuleViolation.value(at + name, "must fit a signed 64-bit integer");
        }
        return node.longValue();
    }

    private static long nonNegative(ObjectNode parent, String at, String name) {
        long value = integer(parent, at, name);
        if (value < 0) {
            throw RuleViolation.value(at + name, "must be a non-negative integer");
        }
        return value;
    }

    private static Instant timestamp(ObjectNode parent, String at, String name) {
        JsonNode node = required(parent, at, name);
        if (!node.isTextual()) {
            throw RuleViolation.schema(at + name, "must be a string");
        }
        String value = node.textValue();
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

    private static final class Fields {
        int unknown;

        void countUnknown(ObjectNode node, Set<String> known) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                if (!known.contains(names.next())) {
                    unknown++;
                }
            }
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
