package dev.orders.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Finds the order_uid of a payload for use as a Kafka record key, without judging the rest of it. */
final class OrderKeys {
    private static final JsonFactory JSON = new JsonFactory();

    private OrderKeys() {
    }

    /** The UTF-8 bytes of the top-level "order_uid" string, or null when there is none. */
    static byte[] orderUid(byte[] payload) {
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("order_uid") && value == JsonToken.VALUE_STRING) {
                    return parser.getText().getBytes(StandardCharsets.UTF_8);
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
