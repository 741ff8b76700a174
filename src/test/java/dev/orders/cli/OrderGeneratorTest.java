package dev.orders.cli;

import dev.orders.order.OrderReader;
import dev.orders.order.ReadResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OrderGeneratorTest {
    private final OrderGenerator generator = new OrderGenerator(7);
    private final OrderReader reader = new OrderReader();

    @Test
    void generatesValidOrdersWhoseSumsAddUp() {
        for (int i = 0; i < 200; i++) {
            ReadResult result = reader.read(generator.validOrder().getBytes(StandardCharsets.UTF_8));
            assertThat(result).isInstanceOf(ReadResult.Valid.class);
            var order = ((ReadResult.Valid) result).order();
            long goods = order.items().stream().mapToLong(item -> item.totalPrice()).sum();
            assertThat(order.payment().goodsTotal()).isEqualTo(goods);
            assertThat(order.payment().amount()).isEqualTo(goods + order.payment().deliveryCost());
        }
    }

    @Test
    void generatesInvalidOrdersThatAreRejectedWithTheExpectedCode() {
        for (int i = 0; i < 200; i++) {
            OrderGenerator.Invalid invalid = generator.invalidOrder();
            ReadResult result = reader.read(invalid.payload());
            assertThat(result).isInstanceOf(ReadResult.Invalid.class);
            assertThat(((ReadResult.Invalid) result).rejection().code().code()).isEqualTo(invalid.expectedCode());
        }
    }
}
