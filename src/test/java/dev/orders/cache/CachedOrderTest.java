package dev.orders.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class CachedOrderTest {

    @Test
    void etagIsTheFirst128BitsOfTheContentsSha256InQuotes() throws NoSuchAlgorithmException {
        byte[] json = "{\"order_uid\":\"b563feb7b2b84b6test\"}".getBytes(StandardCharsets.UTF_8);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(json);

        CachedOrder order = CachedOrder.of(json, sha256);

        assertThat(order.etag()).isEqualTo('"' + HexFormat.of().formatHex(sha256, 0, 16) + '"');
    }

    @Test
    void etagKeepsLeadingZerosAndBytesWithTheHighBitSet() {
        byte[] digest = new byte[32];
        digest[0] = 0x00;
        digest[1] = 0x0f;
        digest[7] = (byte) 0xff;
        digest[8] = (byte) 0x80;
        digest[15] = 0x01;
        digest[16] = (byte) 0xee;

        CachedOrder order = CachedOrder.of(new byte[0], digest);

        assertThat(order.etag()).isEqualTo("\"000f0000000000ff8000000000000001\"");
    }
}
