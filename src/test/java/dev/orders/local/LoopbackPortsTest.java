package dev.orders.local;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackPortsTest {

    @Test
    void givesDifferentPortsWhenAskedForSeveralAtOnce() {
        for (int round = 0; round < 200; round++) {
            int[] ports = LoopbackPorts.free(3);

            assertThat(Arrays.stream(ports).distinct().count()).as(Arrays.toString(ports)).isEqualTo(3);
        }
    }
}
