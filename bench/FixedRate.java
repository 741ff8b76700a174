import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate, for bench/latency.sh. Request i is due at start + i / rate whether or not earlier
 * ones have been answered, and its latency is counted from when it was due, not from when it could be sent: a server
 * that stalls is charged for every request that waited behind the stall (coordinated omission corrected, as wrk2 does).
 *
 *   java -cp target/orders.jar bench/FixedRate.java URL IDS_FILE RATE SECONDS [CONNECTIONS]
 *
 * The first 3 seconds run at the same rate but are not counted: they warm up this JVM's own code.
 * Requests GET URL/ID with ids drawn at random from IDS_FILE (one per line) and 5% unknown ones, over keep-alive
 * connections; 200 and 404 are expected answers, anything else, a timeout or a broken connection is an error. Prints one line of figures.
 */
public class FixedRate {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int WARM_UP_SECONDS = 3;

    public static void main(String[] arguments) throws Exception {
        URI base = URI.create(arguments[0]);
        List<String> ids = withUnknownIds(Files.readAllLines(Path.of(arguments[1])));
        int rate = Integer.parseInt(arguments[2]);
        int seconds = Integer.parseInt(arguments[3]);
        int connections = arguments.length > 4 ? Integer.parseInt(arguments[4]) : 100;
        // The first seconds warm this JVM's own code up; their requests are sent at the rate but not counted.
        long total = (long) rate * (seconds + WARM_UP_SECONDS);
        long warmUpRequests = (long) rate * WARM_UP_SECONDS;
        double intervalNanos = 1e9 / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        AtomicLong errors = new AtomicLong();
        AtomicLong notFound = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int worker = 0; worker < connections; worker++) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            histograms.add(histogram);
            int first = worker;
            workers.add(Thread.ofVirtual().start(() -> {
                Client client = new Client(base);
                for (long i = first; i < total; i += connections) {
                    long due = start + (long) (i * intervalNanos);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int status = client.get(base.getPath() + ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
                    if (i < warmUpRequests) {
                        continue;
                    }
                    histogram.recordValue(Math.max(0, (System.nanoTime() - due) / 1_000));
                    if (status == 404) {
                        notFound.incrementAndGet();
                    } else if (status != 200) {
                        errors.incrementAndGet();
                    }
                }
                client.close();
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9 - WARM_UP_SECONDS;
        Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        histograms.forEach(all::add);
        System.out.printf("rate %d/s achieved %.0f/s requests %d p50 %.2f ms p99 %.2f ms p99.9 %.2f ms max %.2f ms"
                        + " errors %d not_found %d%n", rate, all.getTotalCount() / elapsed, all.getTotalCount(),
                millis(all.getValueAtPercentile(50)), millis(all.getValueAtPercentile(99)),
                millis(all.getValueAtPercentile(99.9)), millis(all.getMaxValue()), errors.get(), notFound.get());
    }

    /** The ids plus 5% that no server knows, as ../shared/refbench/orders.lua adds for wrk. */
    private static List<String> withUnknownIds(List<String> known) {
        List<String> ids = new ArrayList<>(known);
        for (int i = 1; i <= Math.round(known.size() * 5 / 95.0); i++) {
            ids.add(String.format("%016xnone", i * 7919L));
        }
        return ids;
    }

    private static double millis(long micros) {
        return micros / 1_000.0;
    }

    /** One keep-alive HTTP/1.1 connection; reconnects after an error. Returns the status, or 0 for a failure. */
    private static final class Client {
        private final InetSocketAddress address;
        private final String host;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Client(URI base) {
            this.address = new InetSocketAddress(base.getHost(), base.getPort());
            this.host = base.getHost() + ":" + base.getPort();
        }

        int get(String path) {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.connect(address, TIMEOUT_MILLIS);
                    socket.setSoTimeout(TIMEOUT_MILLIS);
                    out = socket.getOutputStream();
                    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                }
                out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return readResponse();
            } catch (IOException | RuntimeException e) {
                close();
                return 0;
            }
        }

        private int readResponse() throws IOException {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closes = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closes = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().strip(), 16); size > 0; size = Long.parseLong(line().strip(), 16)) {
                    in.skipNBytes(size);
                    line();
                }
                line();
            } else if (length > 0) {
                in.skipNBytes(length);
            }
            if (closes) {
                close();
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int next = in.read(); next != '\n'; next = in.read()) {
                if (next < 0) {
                    throw new IOException("connection closed");
                }
                if (next != '\r') {
                    line.append((char) next);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // Closing a broken connection; a new one is opened for the next request.
            }
            socket = null;
        }
    }
}
