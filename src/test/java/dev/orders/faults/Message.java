package dev.orders.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A message the harness sends, with the outcome the order contract promises for it. */
sealed interface Message {
    ObjectMapper JSON = new ObjectMapper();

    byte[] payload();

    /** A valid order seen for the first time: it must be stored once, with all its items. */
    record Valid(String orderUid, int items, byte[] payload) implements Message {
        static Valid of(String json) {
            try {
                JsonNode order = JSON.readTree(json);
                return new Valid(order.get("order_uid").textValue(), order.get("items").size(),
                        json.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The same bytes as a valid order sent before: a duplicate, which changes nothing and is not rejected. */
    record Repeat(Valid original) implements Message {
        @Override
        public byte[] payload() {
            return original.payload();
        }
    }

    /**
     * A message that must be rejected exactly once.
     *
     * @param code the rejection code it must get, or null where more than one is right
     * @param kind what is wrong with it, for reports
     */
    record Invalid(String code, String kind, byte[] payload) implements Message {
    }
}
