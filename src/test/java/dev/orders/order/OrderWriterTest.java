package dev.orders.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orders.support.Orders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OrderWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OrderReader reader = new OrderReader();
    private final OrderWriter writer = new OrderWriter();

    @Test
    void writesTheSampleWithTheNamesTypesAndFieldOrderOfModelJson() throws Exception {
        String written = new String(writer.write(read(Orders.sample().getBytes(StandardCharsets.UTF_8))),
                StandardCharsets.UTF_8);

        assertThat(written).isEqualTo(JSON.writeValueAsString(JSON.readTree(Orders.sample())));
    }

    @Test
    void writesEqualOrdersAsEqualBytesWhateverTheFieldOrderAndWhitespace() throws Exception {
        ObjectNode sample = (ObjectNode) JSON.readTree(Orders.sample());
        ObjectNode reordered = JSON.createObjectNode();
        sample.properties().stream().toList().reversed().forEach(e -> reordered.set(e.getKey(), e.getValue()));
        byte[] pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(reordered);

        assertThat(writer.write(read(pretty))).isEqualTo(writer.write(read(Orders.sample().getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void writesTimestampsInUtcWithTheSameInstant() {
        byte[] withOffset = OrderReaderTest.mutated(o -> o.put("date_created", "2021-11-26T09:22:19+03:00"));

        assertThat(new String(writer.write(read(withOffset)), StandardCharsets.UTF_8))
                .contains("\"date_created\":\"2021-11-26T06:22:19Z\"");
    }

    @Test
    void escapesMarkupAndQuotesAsJsonText() {
        byte[] hostile = OrderReaderTest.mutated(o -> o.put("entry", "<script>\"x\"</script>"));

        assertThat(new String(writer.write(read(hostile)), StandardCharsets.UTF_8))
                .contains("\"entry\":\"<script>\\\"x\\\"</script>\"");
    }

    private Order read(byte[] payload) {
        return ((ReadResult.Valid) reader.read(payload)).order();
    }
}
