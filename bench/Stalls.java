import java.util.concurrent.TimeUnit;

/**
 * How much of a core the machine itself takes away, for bench/latency.sh: a loop that does nothing but read the clock,
 * run pinned to one core while nothing else runs there, sees every moment the core did not run it (the hypervisor
 * running another guest, the kernel's own work) as a jump between two readings.
 *
 *   java bench/Stalls.java SECONDS
 *
 * Prints the jumps over 1, 2, 5 and 10 ms, the longest, and the share of the time beyond 2 ms into a jump: a request
 * due at such a moment is answered more than 2 ms late by any server, however fast, so where the shares of the
 * server's core and the load generator's core add up to 1% or more, no server can show a p99 under 2 ms there.
 */
public class Stalls {
    private static final long[] THRESHOLDS_MILLIS = {1, 2, 5, 10};
    private static final long TARGET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * A first measurement, thrown away, long enough for the loop to be compiled: the compiler's thread shares the
     * core and would be counted as a stall.
     */
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Result(long[] counts, long longest, long beyondTarget, long elapsed) {
    }

    public static void main(String[] arguments) {
        measure(WARM_UP_NANOS);
        Result result = measure(TimeUnit.SECONDS.toNanos(Long.parseLong(arguments[0])));
        long[] counts = result.counts();
        System.out.printf("stalls over 1 ms %d, 2 ms %d, 5 ms %d, 10 ms %d; longest %.2f ms; beyond 2 ms %.2f%% of the"
                        + " time%n", counts[0], counts[1], counts[2], counts[3], result.longest() / 1e6,
                100.0 * result.beyondTarget() / result.elapsed());
    }

    private static Result measure(long duration) {
        long[] thresholds = new long[THRESHOLDS_MILLIS.length];
        for (int i = 0; i < thresholds.length; i++) {
            thresholds[i] = TimeUnit.MILLISECONDS.toNanos(THRESHOLDS_MILLIS[i]);
        }
        long[] counts = new long[thresholds.length];
        long longest = 0;
        long beyondTarget = 0;
        long start = System.nanoTime();
        long last = start;
        while (last - start < duration) {
            long now = System.nanoTime();
            long jump = now - last;
            last = now;
            if (jump <= thresholds[0]) {
                continue;
            }
            for (int i = 0; i < thresholds.length; i++) {
                if (jump > thresholds[i]) {
                    counts[i]++;
                }
            }
            longest = Math.max(longest, jump);
            beyondTarget += Math.max(0, jump - TARGET_NANOS);
        }
        return new Result(counts, longest, beyondTarget, last - start);
    }
}
