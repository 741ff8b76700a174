package dev.orders.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API of contract §3: answers, headers and bodies. */
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORDER = "/api/orders/" + Orders.SAMPLE_UID;
    private static TestNats nats;
    private static RunningService service;

    @BeforeAll
    static void start() {
        nats = TestNats.start();
        service = RunningService.start(TestPostgres.shared().newDatabase(), nats);
        nats.publish(Orders.sample());
        await("the sample is served", () -> service.get(ORDER).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        service.close();
        nats.close();
    }

    @Test
    void answersAStoredOrderWithJsonAndAStrongEtag() throws IOException {
        HttpResponse<String> response = service.get(ORDER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("etag")).hasValueSatisfying(etag -> assertThat(etag).matches("\"[0-9a-f]{32}\""));
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(Orders.sample()));
    }

    @Test
    void answersNotModifiedWhenTheClientHasTheCurrentVersion() {
        String etag = service.get(ORDER).headers().firstValue("etag").orElseThrow();

        HttpResponse<String> response = service.get(ORDER, "If-None-Match", "\"other\", " + etag);

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("etag")).hasValue(etag);
    }

    @Test
    void answersInFullWhenTheClientHasAnotherVersion() {
        assertThat(service.get(ORDER, "If-None-Match", "\"0123\"").statusCode()).isEqualTo(200);
    }

    @Test
    void answersALookupWhosePathIsPercentEncoded() {
        // "%6F" is "o": decoded, the path names the sample as ORDER does.
        assertThat(service.get("/api/%6Frders/" + Orders.SAMPLE_UID).statusCode()).isEqualTo(200);
    }

    @Test
    void answersHeadWithoutABody() {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri(ORDER))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void answersNotFoundAsProblemJsonForAnUnknownOrder() throws IOException {
        HttpResponse<String> response = service.get("/api/orders/nosuchorder");

        assertProblem(response, 404);
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("nosuchorder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has%20space", "%00", "%3Cscript%3E", "x.y",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void answersBadRequestAsProblemJsonForAMalformedId(String id) throws IOException {
        assertProblem(service.get("/api/orders/" + id), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void answersMethodNotAllowedWithTheAllowedMethods(String method) throws IOException {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri(ORDER))
                .method(method, HttpRequest.BodyPublishers.ofString("{}")));

        assertProblem(response, 405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
    }

    @Test
    void answersNotFoundAsProblemJsonForAnUnknownPath() throws IOException {
        assertProblem(service.get("/no/such/path"), 404);
    }

    @Test
    void reportsLivenessAndReadiness() throws IOException {
        assertThat(service.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = service.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("checks").toString()).isEqualTo("{\"cache\":\"UP\",\"database\":\"UP\",\"broker\":\"UP\"}");
    }


    @ParameterizedTest
    @ValueSource(strings = {"GET /api/orders/%ZZ HTTP/1.1", "GET /orders/%E0%A4%A HTTP/1.1",
            "GET /api/orders/x?y=% HTTP/1.1", "GET /orders/a|b HTTP/1.1", "GET /static/%G1 HTTP/1.1",
            "GET /health/../metrics%zz HTTP/1.1"})
    void answersARequestRefusedBeforeRoutingAsProblemJson(String requestLine) throws IOException {
        String response = raw(requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(response).containsIgnoringCase("content-type: application/problem+json");
        JsonNode problem = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource({"10000, 400", "100000, 414", "1000000, 414"})
    void answersAVeryLongPathWithAClientErrorInsteadOfClosingTheConnection(int length, int status) throws IOException {
        String response = raw("GET /api/orders/" + "a".repeat(length) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        assertThat(response).containsIgnoringCase("content-type: application/problem+json");
    }

    @Test
    void refusesAConnectRequestWithAClientError() throws IOException {
        String response = raw("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n");

        assertThat(response).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
        assertThat(response).containsIgnoringCase("content-type: application/problem+json");
    }

    @Test
    void refusesAnHttp11RequestWithoutAHostHeader() throws IOException {
        String response = raw("GET /api/orders/b563feb7b2b84b6test HTTP/1.1\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(response).containsIgnoringCase("content-type: application/problem+json");
        assertThat(response).contains("Host header");
    }

    @Test
    void timesARequestRefusedBeforeItsRoute() throws IOException {
        String series = "http_server_requests_seconds_count{method=\"GET\",route=\"/api/rejected\",status=\"400\"} ";
        double before = seriesValue(service.get("/metrics").body(), series);

        raw("GET /api/rejected HTTP/1.1\r\nConnection: close\r\n\r\n");

        assertThat(seriesValue(service.get("/metrics").body(), series)).isEqualTo(before + 1);
    }

    private static double seriesValue(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).sum();
    }

    @Test
    void answersWithoutARedundantKeepAliveHeader() throws IOException {
        String response = raw("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ");
        assertThat(response).doesNotContainIgnoringCase("connection: keep-alive");
    }

    @Test
    void closesTheConnectionAfterAnsweringARequestThatAsksForIt() throws IOException {
        try (java.net.Socket socket = connect()) {
            socket.getOutputStream().write(
                    "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII));

            String untilTheEnd = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(untilTheEnd).startsWith("HTTP/1.1 200 ");
            assertThat(untilTheEnd).containsIgnoringCase("connection: close");
        }
    }

    @Test
    void keepsTheConnectionOpenForTheNextRequest() throws IOException {
        try (java.net.Socket socket = connect()) {
            byte[] request = ("GET " + ORDER + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII);

            socket.getOutputStream().write(request);
            String first = readResponse(socket.getInputStream());
            socket.getOutputStream().write(request);
            String second = readResponse(socket.getInputStream());

            assertThat(first).startsWith("HTTP/1.1 200 ");
            assertThat(second).startsWith("HTTP/1.1 200 ");
        }
    }

    /** A connection to the service that gives up reading after 5 s, so that a connection left open fails a test. */
    private static java.net.Socket connect() throws IOException {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", service.service().httpPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String raw(String request) throws IOException {
        try (java.net.Socket socket = connect()) {
            try {
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (java.net.SocketException answeredBeforeReadingItAll) {
                // The server may refuse a huge request after its first bytes and close; its answer is still there.
            }
            return readResponse(socket.getInputStream());
        }
    }

    /** Reads one response by its Content-Length: the server need not close the connection after it. */
    private static String readResponse(java.io.InputStream in) throws IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        while (!head.toString(java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.write(next);
        }
        String headers = head.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)").matcher(headers);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
        return headers + new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("about:blank");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}
