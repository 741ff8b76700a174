package dev.orders.http;

import dev.orders.feed.OrderFeed;
import dev.orders.store.OrderSummary;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code GET /api/order-events}: Server-Sent Events, one {@code order} event (an order summary) per order
 * stored from now on. A comment every 15 s keeps proxies from closing an idle stream.
 */
final class OrderEventsRoute implements Handler {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final OrderFeed feed;

    OrderEventsRoute(OrderFeed feed) {
        this.feed = feed;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        try (OrderFeed.Subscription subscription = feed.subscribe();
             SseSink sink = response.sink(SseSink.TYPE)) {
            sink.emit(SseEvent.builder().comment("connected").build());
            while (subscription.isOpen()) {
                OrderSummary order = subscription.next(KEEP_ALIVE);
                if (order != null) {
                    sink.emit(SseEvent.builder().name("order").data(JsonBodies.summary(order)).build());
                } else if (subscription.isOpen()) {
                    sink.emit(SseEvent.builder().comment("keep-alive").build());
                }
            }
        } catch (UncheckedIOException gone) {
            // The client went away; its subscription is closed above.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
