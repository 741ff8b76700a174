package dev.orders.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Order payloads for tests, made from the contract's sample. */
public final class Orders {
    public static final String SAMPLE_UID = "b563feb7b2b84b6test";

    private Orders() {
    }

    /** The contract's sample, byte for byte as model.json. */
    public static String sample() {
        try (InputStream in = Orders.class.getResourceAsStream("/sample-order.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample with another order_uid (and transaction), so it is a new, valid order. */
    public static String withUid(String uid) {
        return sample().replace(SAMPLE_UID, uid);
    }
}
