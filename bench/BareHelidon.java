import dev.orders.http.HttpApi;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The floor under Orders' lookups: Helidon SE on virtual threads, with the service's HTTP/1.1 settings, serving
 * the Go reference's map of ready JSON with nothing of the service around it (no metrics, no filters, no cache, no
 * id check). What it spends a request is what Helidon and the JDK's sockets spend; the service cannot spend less. For
 * bench/floor.sh.
 *
 *   java -cp target/orders.jar bench/BareHelidon.java PORT ORDERS_TSV
 *
 * ORDERS_TSV has one order a line, order_uid TAB JSON, as bench/export_orders.py writes it for the Go server.
 */
public final class BareHelidon {
    private static final String PREFIX = "/api/orders/";
    private static final Header JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final byte[] NOT_FOUND = "{\"error\":\"order not found\"}".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws IOException {
        if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null
                && Runtime.getRuntime().availableProcessors() < 2) {
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "2");   // as dev.orders.Main does
        }
        Map<String, byte[]> orders = read(Path.of(args[1]));
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(Integer.parseInt(args[0]))
                .addProtocol(HttpApi.http1())
                .routing(routing -> routing.any((request, response) -> {
                    String path = request.path().rawPath();
                    byte[] body = path.startsWith(PREFIX) ? orders.get(path.substring(PREFIX.length())) : null;
                    response.header(JSON);
                    if (body == null) {
                        response.status(Status.NOT_FOUND_404).send(NOT_FOUND);
                    } else {
                        response.send(body);
                    }
                }))
                .build()
                .start();
        System.out.println("BareHelidon listening on port " + server.port() + " (" + orders.size() + " orders)");
    }

    private static Map<String, byte[]> read(Path tsv) throws IOException {
        Map<String, byte[]> orders = new HashMap<>();
        for (String line : Files.readAllLines(tsv)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                orders.put(line.substring(0, tab), line.substring(tab + 1).getBytes(StandardCharsets.UTF_8));
            }
        }
        return orders;
    }
}
