package dev.orders.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The web page: one HTML document for every page URL (the script shows what the URL names), plus its script and
 * stylesheet, and the OpenAPI description, all read once from the jar. The Content-Security-Policy allows only these same-origin files, so no
 * inline script can run, whatever an order contains.
 */
final class WebPage implements HttpService {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final List<Header> SECURITY_HEADERS = List.of(
            HeaderValues.createCached("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            HeaderValues.createCached(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff"),
            HeaderValues.createCached("Referrer-Policy", "no-referrer"),
            HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-cache"));

    private final Map<String, Asset> assets = Map.of(
            "index.html", Asset.load("/web/index.html", "text/html; charset=utf-8"),
            "app.js", Asset.load("/web/app.js", "text/javascript; charset=utf-8"),
            "app.css", Asset.load("/web/app.css", "text/css; charset=utf-8"),
            "favicon.svg", Asset.load("/web/favicon.svg", "image/svg+xml"));
    private final Asset openApi = Asset.load("/openapi.yaml", "application/yaml");

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (request, response) -> send(assets.get("index.html"), request, response))
                .get("/orders/{id}", (request, response) -> send(assets.get("index.html"), request, response))
                .get("/rejected", (request, response) -> send(assets.get("index.html"), request, response))
                .get("/static/{file}", this::staticFile)
                .get("/favicon.ico", (request, response) -> send(assets.get("favicon.svg"), request, response))
                .get("/openapi.yaml", (request, response) -> send(openApi, request, response));
    }

    private void staticFile(ServerRequest request, ServerResponse response) {
        Asset asset = assets.get(request.path().pathParameters().get("file"));
        if (asset == null || asset.path().endsWith("/index.html")) {
            Problem.send(response, Status.NOT_FOUND_404, "no such file");
            return;
        }
        send(asset, request, response);
    }

    private static void send(Asset asset, ServerRequest request, ServerResponse response) {
        SECURITY_HEADERS.forEach(response::header);
        response.header(HeaderNames.ETAG, asset.etag());
        if (OrderRoutes.matches(request.headers().first(HeaderNames.IF_NONE_MATCH), asset.etag())) {
            response.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        response.send(asset.content());
    }

    /**
     * A file and its ETag, a CRC-32 of its bytes: an ETag has only to change when the file does, and the JVM computes
     * a CRC-32 natively, where SHA-256 of these files ran in the interpreter at every start, 70-80 ms of the main
     * thread on a slow machine before anything is compiled (docs/performance-log.md, start-up, session 38).
     */
    private record Asset(String path, String contentType, byte[] content, String etag) {
        static Asset load(String path, String contentType) {
            try (InputStream in = WebPage.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException(path + " is missing from the jar");
                }
                byte[] content = in.readAllBytes();
                CRC32 crc = new CRC32();
                crc.update(content);
                return new Asset(path, contentType, content, '"' + Long.toHexString(crc.getValue()) + '"');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
