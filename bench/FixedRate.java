import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

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
 * connections; 200 and 404 are expected answers, anything else, a timeout or a broken connection is an error.
 * Prints one line of figures.
 */
public class FixedRate {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int WARM_UP_SECONDS = 3;

    public static void main(String[] arguments) throws Exception {
        URI base = URI.create(arguments[0]);
        List<String> ids = withUnknownIds(Files.readAllLines(Path.of(arguments[1])));
        String host = base.getHost() + ":" + base.getPort();
        byte[][] requests = ids.stream().map(id -> ("GET " + base.getPath() + id + " HTTP/1.1\r\nHost: " + host
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        int rate = Integer.parseInt(arguments[2]);
        int seconds = Integer.parseInt(arguments[3]);
        int connections = arguments.length > 4 ? Integer.parseInt(arguments[4]) : 100;
        // The first seconds warm this JVM's own code up; their requests are sent at the rate but not counted.
        long total = (long) rate * (seconds + WARM_UP_SECONDS);
        long warmUpRequests = (long) rate * WARM_UP_SECONDS;
        double intervalNanos = 1e9 / rate;
        // What compiling this file and setting up left behind is collected now, not in a pause during the run
        // (a first young collection took 30-36 ms a few seconds in, after the warm-up).
        System.gc();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        AtomicLong errors = new AtomicLong();
        AtomicLong notFound = new AtomicLong();
        // One histogram for all connections: a quarter of a megabyte each, a hundred of them made this JVM copy
        // 25 MB in a young collection that paused it for 15-20 ms in the middle of a run.
        Histogram all = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        List<Thread> workers = new ArrayList<>();
        for (int worker = 0; worker < connections; worker++) {
            int first = worker;
            workers.add(Thread.ofVirtual().start(() -> {
                Client client = new Client(base);
                for (long i = first; i < total; i += connections) {
                    long due = start + (long) (i * intervalNanos);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int status = client.get(requests[ThreadLocalRandom.current().nextInt(requests.length)]);
                    if (i < warmUpRequests) {
                        continue;
                    }
                    all.recordValue(Math.max(0, (System.nanoTime() - due) / 1_000));
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

    /**
     * One keep-alive HTTP/1.1 connection; reconnects after an error. Returns the status, or 0 for a failure.
     * Responses are parsed from its own buffer, without a lock or a String per byte or line: the generator shares
     * its core with nothing, but any time it spends is charged to the server as latency.
     */
    private static final class Client {
        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CHUNKED = "transfer-encoding: chunked".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CLOSE = "connection: close".getBytes(StandardCharsets.US_ASCII);
        private final InetSocketAddress address;
        private final byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Client(URI base) {
            this.address = new InetSocketAddress(base.getHost(), base.getPort());
        }

        int get(byte[] request) {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.connect(address, TIMEOUT_MILLIS);
                    socket.setSoTimeout(TIMEOUT_MILLIS);
                    out = socket.getOutputStream();
                    in = socket.getInputStream();
                    start = end = 0;
                }
                out.write(request);
                return readResponse();
            } catch (IOException | RuntimeException e) {
                close();
                return 0;
            }
        }

        private int readResponse() throws IOException {
            int headEnd;
            while ((headEnd = indexOf(start, end)) < 0) {
                fill();
            }
            int status = (buffer[start + 9] - '0') * 100 + (buffer[start + 10] - '0') * 10 + (buffer[start + 11] - '0');
            long length = headerValue(start, headEnd);
            boolean chunked = contains(start, headEnd, CHUNKED);
            boolean closes = contains(start, headEnd, CLOSE);
            start = headEnd + 4;
            if (chunked) {
                throw new IOException("chunked responses are not expected here");
            }
            skip(Math.max(length, 0));
            if (closes) {
                close();
            }
            return status;
        }

        /** Where the blank line after the headers starts, or -1. */
        private int indexOf(int from, int to) {
            for (int i = from; i + 3 < to; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private long headerValue(int from, int to) {
            for (int i = from; i < to; i++) {
                if (buffer[i] == '\n' && matches(i + 1, to, CONTENT_LENGTH)) {
                    long value = 0;
                    for (int j = i + 1 + CONTENT_LENGTH.length; j < to && buffer[j] != '\r'; j++) {
                        if (buffer[j] >= '0' && buffer[j] <= '9') {
                            value = value * 10 + buffer[j] - '0';
                        }
                    }
                    return value;
                }
            }
            return -1;
        }

        private boolean contains(int from, int to, byte[] header) {
            for (int i = from; i < to; i++) {
                if (buffer[i] == '\n' && matches(i + 1, to, header)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matches(int at, int to, byte[] lowerCase) {
            if (at + lowerCase.length > to) {
                return false;
            }
            for (int k = 0; k < lowerCase.length; k++) {
                byte b = buffer[at + k];
                if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerCase[k]) {
                    return false;
                }
            }
            return true;
        }

        private void skip(long bytes) throws IOException {
            while (end - start < bytes) {
                bytes -= end - start;
                start = end = 0;
                fill();
            }
            start += (int) bytes;
        }

        private void fill() throws IOException {
            if (start > 0 && start == end) {
                start = end = 0;
            } else if (end == buffer.length) {
                if (start == 0) {
                    throw new IOException("response head larger than " + buffer.length + " bytes");
                }
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                throw new IOException("connection closed");
            }
            end += read;
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
