package dev.orders.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Requests no browser sends, written byte by byte to a socket, and clients that send their request very slowly. */
final class HostileHttp {
    private HostileHttp() {
    }

    /** An answer's status when the server closed the connection without one, and when it kept silent for 10 s. */
    static final int CLOSED = 0;
    static final int SILENT = -1;

    /**
     * A request no browser sends.
     *
     * @param http11 whether its first line is an HTTP/1.1 request line; the server cannot answer anything else in
     *               HTTP/1.1, so it may close such a connection without an answer
     */
    record Request(String name, byte[] bytes, boolean http11) {
    }

    static List<Request> requests() {
        List<Request> requests = new ArrayList<>();
        add(requests, "path of 10,000 characters", "GET /api/orders/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "path of 100,000 characters", "GET /" + "%41".repeat(33_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "id of 65 characters", "GET /api/orders/" + "a".repeat(65) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "malformed percent-encoding", "GET /api/orders/%zz%%4 HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "encoded traversal", "GET /api/orders/..%2F..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "plain traversal", "GET /../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "traversal to the page's files", "GET /app.js/../../../../pom.xml HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "encoded NUL", "GET /api/orders/a%00b HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "overlong UTF-8 in path", "GET /api/orders/a%C0%AFb HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "junk query", "GET /api/orders?limit=%FF%FE&before=../../x&limit=99999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "markup in a query", "GET /api/rejected?code=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "absolute-form target", "GET http://evil.example/api/orders/x HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "DELETE an order", "DELETE /api/orders/b563feb7b2b84b6test HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "POST with a body", "POST /api/orders/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        add(requests, "PUT", "PUT /api/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        add(requests, "TRACE", "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "unknown method", "BREW /api/orders/x HTTP/1.1\r\nHost: x\r\n\r\n");
        add(requests, "CONNECT", "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n");
        add(requests, "header of 20 KB", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
        add(requests, "header of 1 MB", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1 << 20) + "\r\n\r\n");
        add(requests, "20,000 headers", "GET /health/live HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(20_000) + "\r\n");
        add(requests, "header without a colon", "GET /health/live HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n");
        add(requests, "NUL in a header", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n");
        add(requests, "negative Content-Length", "POST /api/orders/x HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n");
        add(requests, "Content-Length not a number", "POST /api/orders/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        add(requests, "broken chunked body", "POST /api/orders/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n");
        add(requests, "Content-Length and chunked", "POST /api/orders/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        notHttp11(requests, "unknown HTTP version", "GET /health/live HTTP/9.9\r\nHost: x\r\n\r\n");
        notHttp11(requests, "method only", "GET\r\n\r\n");
        add(requests, "no Host header", "GET /health/live HTTP/1.1\r\n\r\n");
        add(requests, "If-None-Match junk", "GET /api/orders/x HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"\u00ff\", W/, *, \"a\r\n\r\n");
        notHttp11(requests, "text that is not HTTP", "hello, is anybody there?\r\n\r\n");
        byte[] junk = new byte[1_000];
        new Random(5).nextBytes(junk);
        requests.add(new Request("1,000 random bytes", junk, false));
        return requests;
    }

    private static void add(List<Request> requests, String name, String request) {
        requests.add(new Request(name, request.getBytes(StandardCharsets.ISO_8859_1), true));
    }

    private static void notHttp11(List<Request> requests, String name, String request) {
        requests.add(new Request(name, request.getBytes(StandardCharsets.ISO_8859_1), false));
    }

    /** Sends a request on a connection of its own; returns the status of the answer, {@link #CLOSED} or {@link #SILENT}. */
    static int send(int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(10_000);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException closedWhileSending) {
                // A server may answer and close before reading all of a huge request; read what it said.
            }
            return status(socket.getInputStream());
        } catch (java.net.SocketTimeoutException e) {
            return SILENT;
        } catch (IOException e) {
            return CLOSED;
        }
    }

    private static int status(InputStream in) throws IOException {
        byte[] line = new byte[12];
        int read = in.readNBytes(line, 0, line.length);
        String text = new String(line, 0, read, StandardCharsets.ISO_8859_1);
        return text.startsWith("HTTP/1.") && read == 12 ? Integer.parseInt(text.substring(9, 12)) : CLOSED;
    }

    /** Connections that send a request a byte at a time, one byte a second, until closed. */
    static final class SlowClients implements AutoCloseable {
        private final List<Socket> sockets = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        SlowClients(int port, int count) throws IOException {
            byte[] request = "GET /api/orders/b563feb7b2b84b6test HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                sockets.add(socket);
                threads.add(Thread.ofVirtual().start(() -> trickle(socket, request)));
            }
        }

        private void trickle(Socket socket, byte[] request) {
            try {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; running && i < request.length; i++) {
                    out.write(request[i]);
                    out.flush();
                    Thread.sleep(1_000);
                }
            } catch (IOException | InterruptedException closed) {
                // The server gave up on this client, or the scenario is over.
            }
        }

        @Override
        public void close() throws IOException {
            running = false;
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
