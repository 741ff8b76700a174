import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The floor under any HTTP server on the JDK's virtual threads: a virtual thread a connection reading and writing
 * through java.net.Socket, as Helidon's connections do, with the least HTTP/1.1 that wrk needs (a request line, headers
 * skipped, no body, keep-alive) and the Go reference's map of ready JSON. Not a server for anything else: it exists to
 * show what the JDK's sockets and scheduler alone spend a request, for bench/floor.sh.
 *
 *   java -cp target/orders.jar bench/BareSockets.java PORT ORDERS_TSV
 *
 * ORDERS_TSV as for bench/BareHelidon.java.
 */
public final class BareSockets {
    private static final byte[] PREFIX = "GET /api/orders/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND = response("404 Not Found",
            "{\"error\":\"order not found\"}".getBytes(StandardCharsets.UTF_8));

    public static void main(String[] args) throws IOException {
        if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null
                && Runtime.getRuntime().availableProcessors() < 2) {
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "2");   // as dev.orders.Main does
        }
        Map<String, byte[]> responses = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                responses.put(line.substring(0, tab),
                        response("200 OK", line.substring(tab + 1).getBytes(StandardCharsets.UTF_8)));
            }
        }
        ServerSocket listener = new ServerSocket(Integer.parseInt(args[0]), 1024, InetAddress.getLoopbackAddress());
        System.out.println("BareSockets listening on port " + listener.getLocalPort() + " (" + responses.size()
                + " orders)");
        while (true) {
            Socket connection = listener.accept();
            Thread.ofVirtual().start(() -> serve(connection, responses));
        }
    }

    private static byte[] response(String status, byte[] body) {
        byte[] head = ("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] whole = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, whole, head.length, body.length);
        return whole;
    }

    /** Answers each request in the buffer, then reads more; requests arrive whole or in pieces. */
    private static void serve(Socket connection, Map<String, byte[]> responses) {
        try (connection; InputStream in = connection.getInputStream();
             OutputStream out = connection.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            int filled = 0;
            while (true) {
                int read = in.read(buffer, filled, buffer.length - filled);
                if (read < 0) {
                    return;
                }
                filled += read;
                int start = 0;
                int end;
                while ((end = endOfHead(buffer, start, filled)) >= 0) {
                    out.write(answer(buffer, start, end, responses));
                    start = end;
                }
                System.arraycopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                if (filled == buffer.length) {
                    return;   // a head longer than the buffer: not a request wrk sends
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The index just past the blank line that ends the head starting at start, or -1 if it is not all here. */
    private static int endOfHead(byte[] buffer, int start, int filled) {
        for (int i = start; i + 3 < filled; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static byte[] answer(byte[] buffer, int start, int end, Map<String, byte[]> responses) {
        if (!Arrays.equals(buffer, start, start + PREFIX.length, PREFIX, 0, PREFIX.length)) {
            return NOT_FOUND;
        }
        int idStart = start + PREFIX.length;
        int idEnd = idStart;
        while (idEnd < end && buffer[idEnd] != ' ') {
            idEnd++;
        }
        byte[] found = responses.get(new String(buffer, idStart, idEnd - idStart, StandardCharsets.US_ASCII));
        return found != null ? found : NOT_FOUND;
    }
}
