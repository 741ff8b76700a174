package dev.orders.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orders.support.Orders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class OrderReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OrderReader reader = new OrderReader();

    @Test
    void readsTheSampleOrder() {
        Order order = valid(Orders.sample().getBytes(StandardCharsets.UTF_8)).order();

        assertThat(order.orderUid()).isEqualTo("b563feb7b2b84b6test");
        assertThat(order.delivery().email()).isEqualTo("test@gmail.com");
        assertThat(order.payment().amount()).isEqualTo(1817);
        assertThat(order.items()).singleElement().satisfies(item -> {
            assertThat(item.sale()).isEqualTo(30);
            assertThat(item.brand()).isEqualTo("Vivienne Sabo");
        });
        assertThat(order.dateCreated()).isEqualTo(Instant.parse("2021-11-26T06:22:19Z"));
    }

    @Test
    void ignoresAndCountsUnknownFields() {
        ReadResult.Valid result = valid(mutated(o -> {
            o.put("extra", 1);
            ((ObjectNode) o.get("payment")).put("note", "x");
        }));

        assertThat(result.unknownFields()).isEqualTo(2);
    }

    @Test
    void countsUnknownFieldsInsideEveryItem() {
        ReadResult.Valid result = valid(mutated(o -> {
            ArrayNode items = (ArrayNode) o.get("items");
            items.add(items.get(0).deepCopy());
            ((ObjectNode) items.get(0)).put("colour", "red");
            ((ObjectNode) items.get(1)).putObject("extra").put("x", 1);
        }));

        assertThat(result.unknownFields()).isEqualTo(2);
    }

    @Test
    void reportsTheFirstBrokenRuleInTheContractsOrderWhateverTheOrderOfTheFields() {
        byte[] payload = mutated(o -> {
            o.put("oof_shard", "");
            o.put("track_number", 7);
        });
        byte[] reversed = reversedFields(payload);

        assertRejected(payload, RejectionCode.SCHEMA, "track_number: must be a string");
        assertRejected(reversed, RejectionCode.SCHEMA, "track_number: must be a string");
    }

    @Test
    void rejectsADuplicateKeyInsideAnIgnoredFieldAsNotJson() {
        byte[] payload = Orders.sample().replaceFirst("\\{", "{\"extra\": [{\"a\": 1, \"a\": 2}], ")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(invalid(payload).rejection().code()).isEqualTo(RejectionCode.NOT_JSON);
    }

    @Test
    void rejectsBrokenJsonAsNotJsonEvenWhenTheTopLevelIsNoObject() {
        assertRejected("[1, 2".getBytes(StandardCharsets.UTF_8), RejectionCode.NOT_JSON, "not valid JSON");
    }

    @Test
    void keepsTheInstantOfATimestampWithAnOffset() {
        Order order = valid(mutated(o -> o.put("date_created", "2021-11-26T09:22:19.5+03:00"))).order();

        assertThat(order.dateCreated()).isEqualTo(Instant.parse("2021-11-26T06:22:19.5Z"));
    }

    @Test
    void rejectsInvalidUtf8AsNotJson() {
        byte[] payload = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertRejected(payload, RejectionCode.NOT_JSON, "UTF-8");
    }

    @Test
    void rejectsUtf16EvenWithAByteOrderMark() {
        byte[] payload = "\uFEFF{}".getBytes(StandardCharsets.UTF_16);

        assertThat(invalid(payload).rejection().code()).isEqualTo(RejectionCode.NOT_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"order_uid\": }", "nul", "{} {}", "{\"a\":1,\"a\":2}"})
    void rejectsWhatIsNotOneJsonDocumentAsNotJson(String payload) {
        assertThat(invalid(payload.getBytes(StandardCharsets.UTF_8)).rejection().code())
                .isEqualTo(RejectionCode.NOT_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"order_uid\":\"x\"}]", "\"order\"", "42", "null", "true"})
    void rejectsATopLevelValueThatIsNotAnObjectAsNotJson(String payload) {
        assertRejected(payload.getBytes(StandardCharsets.UTF_8), RejectionCode.NOT_JSON, "top level");
    }

    @Test
    void rejectsDeepNestingAsNotJson() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        assertThat(invalid(("{\"x\":" + deep + "}").getBytes(StandardCharsets.UTF_8)).rejection().code())
                .isEqualTo(RejectionCode.NOT_JSON);
    }

    @Test
    void rejectsAMissingTopLevelFieldAsSchema() {
        assertRejected(mutated(o -> o.remove("track_number")), RejectionCode.SCHEMA, "track_number: is required");
    }

    @Test
    void rejectsAMissingNestedFieldAsSchema() {
        assertRejected(mutated(o -> ((ObjectNode) o.get("delivery")).remove("city")), RejectionCode.SCHEMA,
                "delivery.city: is required");
    }

    @Test
    void rejectsAMissingItemFieldWithItsIndexAsSchema() {
        assertRejected(mutated(o -> ((ObjectNode) o.get("items").get(0)).remove("rid")), RejectionCode.SCHEMA,
                "items[0].rid: is required");
    }

    @Test
    void treatsNullAsMissing() {
        assertRejected(mutated(o -> o.putNull("locale")), RejectionCode.SCHEMA, "locale: is required");
    }

    @Test
    void rejectsAStringWhereANumberBelongsAsSchema() {
        assertRejected(mutated(o -> o.put("sm_id", "99")), RejectionCode.SCHEMA, "sm_id: must be an integer");
    }

    @Test
    void rejectsANumberWhereAStringBelongsAsSchema() {
        assertRejected(mutated(o -> o.put("entry", 5)), RejectionCode.SCHEMA, "entry: must be a string");
    }

    @Test
    void rejectsAFractionalNumberAsSchema() {
        assertRejected(mutated(o -> ((ObjectNode) o.get("payment")).put("amount", 18.17)), RejectionCode.SCHEMA,
                "payment.amount: must be an integer");
    }

    @Test
    void rejectsAnObjectWhereAnArrayBelongsAsSchema() {
        assertRejected(mutated(o -> o.putObject("items")), RejectionCode.SCHEMA, "items: must be an array");
    }

    @Test
    void rejectsAnIntegerBeyond64BitsAsInvalidValue() {
        assertRejected(mutated(o -> o.put("sm_id", new BigInteger("9223372036854775808"))),
                RejectionCode.INVALID_VALUE, "sm_id: must fit a signed 64-bit integer");
    }

    @Test
    void rejectsNegativeAmount() {
        assertRejected(mutated(o -> ((ObjectNode) o.get("payment")).put("amount", -1)), RejectionCode.INVALID_VALUE,
                "payment.amount: must be a non-negative integer");
    }

    @Test
    void rejectsSaleAbove100() {
        assertRejected(mutated(o -> ((ObjectNode) o.get("items").get(0)).put("sale", 101)),
                RejectionCode.INVALID_VALUE, "items[0].sale: must be an integer from 0 to 100");
    }

    @Test
    void acceptsSaleOfExactly100() {
        valid(mutated(o -> ((ObjectNode) o.get("items").get(0)).put("sale", 100)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"usd", "US", "USDT", "U5D", ""})
    void rejectsACurrencyThatIsNotThreeUpperCaseLetters(String currency) {
        assertThat(invalid(mutated(o -> ((ObjectNode) o.get("payment")).put("currency", currency))).rejection())
                .satisfies(r -> {
                    assertThat(r.code()).isEqualTo(RejectionCode.INVALID_VALUE);
                    assertThat(r.message()).startsWith("payment.currency:");
                });
    }

    @Test
    void rejectsAnEmptyItemsArray() {
        assertRejected(mutated(o -> o.putArray("items")), RejectionCode.INVALID_VALUE, "items: must hold 1 to 1000");
    }

    @Test
    void rejectsMoreThanAThousandItems() {
        assertRejected(mutated(o -> {
            ArrayNode items = (ArrayNode) o.get("items");
            for (int i = 0; i < 1000; i++) {
                items.add(items.get(0).deepCopy());
            }
        }), RejectionCode.INVALID_VALUE, "items: must hold 1 to 1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "ünïcode", "a/b", "x'; drop table orders; --"})
    void rejectsAnOrderUidOfTheWrongShape(String uid) {
        assertThat(invalid(mutated(o -> o.put("order_uid", uid))).rejection().code())
                .isEqualTo(RejectionCode.INVALID_VALUE);
    }

    @Test
    void rejectsAnOrderUidLongerThan64Characters() {
        assertRejected(mutated(o -> o.put("order_uid", "a".repeat(65))), RejectionCode.INVALID_VALUE, "order_uid:");
    }

    @Test
    void rejectsAnEmptyRequiredString() {
        assertRejected(mutated(o -> ((ObjectNode) o.get("delivery")).put("name", "")), RejectionCode.INVALID_VALUE,
                "delivery.name: must not be empty");
    }

    @Test
    void acceptsEmptyStringsWhereTheContractAllowsThem() {
        valid(mutated(o -> {
            o.put("internal_signature", "");
            ((ObjectNode) o.get("delivery")).put("zip", "").put("region", "").put("email", "");
            ((ObjectNode) o.get("payment")).put("request_id", "").put("bank", "");
            ((ObjectNode) o.get("items").get(0)).put("size", "").put("brand", "");
        }));
    }

    @Test
    void rejectsAStringOver1024Characters() {
        assertRejected(mutated(o -> o.put("entry", "x".repeat(1025))), RejectionCode.INVALID_VALUE,
                "entry: must be at most 1024 characters");
    }

    @Test
    void countsCharactersNotUtf16UnitsForTheLengthLimit() {
        valid(mutated(o -> o.put("entry", "😀".repeat(1024))));
    }

    @Test
    void rejectsANulCharacterInAString() {
        assertRejected(mutated(o -> o.put("customer_id", "te\u0000st")), RejectionCode.INVALID_VALUE,
                "customer_id: must not contain the NUL character");
    }

    @Test
    void rejectsAnUnpairedSurrogate() {
        assertRejected(mutated(o -> o.put("shardkey", "\ud800")), RejectionCode.INVALID_VALUE,
                "shardkey: must not contain an unpaired surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "a@b@c", "@domain", "local@", "a b@c"})
    void rejectsAMalformedEmail(String email) {
        assertRejected(mutated(o -> ((ObjectNode) o.get("delivery")).put("email", email)),
                RejectionCode.INVALID_VALUE, "delivery.email:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2021-11-26", "2021-11-26T06:22:19", "2021-11-26 06:22:19Z", "2021-13-26T06:22:19Z",
            "2021-02-30T06:22:19Z", "26.11.2021", "2021-11-26T06:22Z", "1637907739"})
    void rejectsATimestampThatIsNotRfc3339WithAZone(String timestamp) {
        assertRejected(mutated(o -> o.put("date_created", timestamp)), RejectionCode.INVALID_VALUE, "date_created:");
    }

    @Test
    void rejectsATimestampMorePreciseThanPostgresqlKeeps() {
        assertRejected(mutated(o -> o.put("date_created", "2021-11-26T06:22:19.123456789Z")),
                RejectionCode.INVALID_VALUE, "date_created: must not be more precise than microseconds");
    }

    @Test
    void namesTheOrderUidOfARejectedOrderWhenItIsWellFormed() {
        ReadResult.Invalid result = invalid(mutated(o -> ((ObjectNode) o.get("payment")).put("amount", -5)));

        assertThat(result.orderUid()).isEqualTo("b563feb7b2b84b6test");
    }

    private ReadResult.Valid valid(byte[] payload) {
        ReadResult result = reader.read(payload);
        assertThat(result).isInstanceOf(ReadResult.Valid.class);
        return (ReadResult.Valid) result;
    }

    private ReadResult.Invalid invalid(byte[] payload) {
        ReadResult result = reader.read(payload);
        assertThat(result).isInstanceOf(ReadResult.Invalid.class);
        return (ReadResult.Invalid) result;
    }

    private void assertRejected(byte[] payload, RejectionCode code, String messagePart) {
        Rejection rejection = invalid(payload).rejection();
        assertThat(rejection.code()).isEqualTo(code);
        assertThat(rejection.message()).contains(messagePart);
    }

    private static byte[] reversedFields(byte[] payload) {
        try {
            ObjectNode order = (ObjectNode) JSON.readTree(payload);
            ObjectNode reversed = JSON.createObjectNode();
            List<String> names = new ArrayList<>();
            order.fieldNames().forEachRemaining(names::add);
            Collections.reverse(names);
            names.forEach(name -> reversed.set(name, order.get(name)));
            return JSON.writeValueAsBytes(reversed);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] mutated(Consumer<ObjectNode> change) {
        try {
            ObjectNode order = (ObjectNode) JSON.readTree(Orders.sample());
            change.accept(order);
            return JSON.writeValueAsBytes(order);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
