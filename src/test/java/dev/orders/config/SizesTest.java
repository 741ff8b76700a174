package dev.orders.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizesTest {
    @Test
    void readsPlainBytesAndBinarySuffixes() {
        assertThat(Sizes.parseBytes("1048576")).isEqualTo(1_048_576);
        assertThat(Sizes.parseBytes("512KiB")).isEqualTo(512 * 1024);
        assertThat(Sizes.parseBytes("256MiB")).isEqualTo(256L * 1024 * 1024);
        assertThat(Sizes.parseBytes("2g")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(Sizes.parseBytes(" 1 MB ")).isEqualTo(1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "1.5MiB", "1TiB", "99999999999999999999", "9223372036854775807GiB"})
    void refusesWhatIsNotASize(String text) {
        assertThatThrownBy(() -> Sizes.parseBytes(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.strip().isEmpty() ? "not a size" : "'");
    }

    @Test
    void readsDurations() {
        assertThat(Sizes.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Sizes.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Sizes.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Sizes.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "PT30S", "-5s", "1.5s", "soon"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Sizes.parseDuration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }
}
