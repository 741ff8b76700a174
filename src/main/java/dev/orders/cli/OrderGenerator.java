package dev.orders.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Makes orders to publish: valid ones whose sums add up, and invalid ones, each broken in one known way.
 * Deterministic for a given seed.
 */
public final class OrderGenerator {
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "RUB", "ILS", "KZT");
    private static final List<String> BRANDS = List.of("Vivienne Sabo", "Nivea", "Gillette", "L'Oreal", "");
    private static final List<String> NAMES = List.of("Mascaras", "Shampoo", "Razor", "Lipstick", "Cream");

    /** Ways to break an order, each named by the rejection code the service should give. */
    private static final List<Breakage> BREAKAGES = List.of(
            new Breakage("not_json", json -> "{\"order_uid\": ".getBytes(StandardCharsets.UTF_8)),
            new Breakage("not_json", json -> ("[" + json + "]").getBytes(StandardCharsets.UTF_8)),
            new Breakage("not_json", json -> new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
            new Breakage("schema", json -> utf8(json.replaceFirst("\"track_number\":\"[^\"]*\",", ""))),
            new Breakage("schema", json -> utf8(json.replaceFirst("\"sm_id\":(\\d+)", "\"sm_id\":\"$1\""))),
            new Breakage("invalid_value", json -> utf8(json.replaceFirst("\"amount\":(\\d+)", "\"amount\":-$1"))),
            new Breakage("invalid_value", json -> utf8(json.replaceFirst("\"sale\":(\\d+)", "\"sale\":101"))),
            new Breakage("invalid_value", json -> utf8(json.replaceFirst("\"currency\":\"[A-Z]{3}\"", "\"currency\":\"usd\""))),
            new Breakage("invalid_value", json -> utf8(json.replaceFirst("\"items\":\\[.*?\\],\"locale\"", "\"items\":[],\"locale\""))));

    private final Random random;

    public OrderGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** A valid order as compact JSON, with a fresh random order_uid. */
    public String validOrder() {
        String uid = HexFormat.of().formatHex(randomBytes(8)) + "gen";
        String track = "WB" + Long.toString(Math.abs(random.nextLong()), 36).toUpperCase();
        int itemCount = 1 + random.nextInt(3);
        StringBuilder items = new StringBuilder();
        long goodsTotal = 0;
        for (int i = 0; i < itemCount; i++) {
            long price = 100 + random.nextInt(10_000);
            int sale = random.nextInt(60);
            long total = price * (100 - sale) / 100;
            goodsTotal += total;
            items.append(i == 0 ? "" : ",").append("""
                    {"chrt_id":%d,"track_number":"%s","price":%d,"rid":"%s","name":"%s","sale":%d,"size":"%d",\
                    "total_price":%d,"nm_id":%d,"brand":"%s","status":202}"""
                    .formatted(random.nextInt(10_000_000), track, price, HexFormat.of().formatHex(randomBytes(10)),
                            pick(NAMES), sale, random.nextInt(5), total, random.nextInt(10_000_000), pick(BRANDS)));
        }
        long deliveryCost = 500 + random.nextInt(1500);
        long created = 1_600_000_000L + random.nextInt(200_000_000);
        return """
                {"order_uid":"%s","track_number":"%s","entry":"WBIL","delivery":{"name":"Test Testov",\
                "phone":"+9720000000","zip":"2639809","city":"Kiryat Mozkin","address":"Ploshad Mira 15",\
                "region":"Kraiot","email":"test@gmail.com"},"payment":{"transaction":"%s","request_id":"",\
                "currency":"%s","provider":"wbpay","amount":%d,"payment_dt":%d,"bank":"alpha",\
                "delivery_cost":%d,"goods_total":%d,"custom_fee":0},"items":[%s],"locale":"en",\
                "internal_signature":"","customer_id":"test","delivery_service":"meest","shardkey":"9",\
                "sm_id":99,"date_created":"%s","oof_shard":"1"}"""
                .formatted(uid, track, uid, pick(CURRENCIES), goodsTotal + deliveryCost, created, deliveryCost,
                        goodsTotal, items, Instant.ofEpochSecond(created));
    }

    /** An invalid message, made from a valid order broken in one of the known ways. */
    public Invalid invalidOrder() {
        Breakage breakage = BREAKAGES.get(random.nextInt(BREAKAGES.size()));
        return new Invalid(breakage.expectedCode(), breakage.apply().apply(validOrder()));
    }

    public record Invalid(String expectedCode, byte[] payload) {
    }

    private record Breakage(String expectedCode, Function<String, byte[]> apply) {
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
