package dev.orders.order;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class OrderIdTest {
    /** The rule as the contract states it. */
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @ParameterizedTest
    @ValueSource(strings = {"b563feb7b2b84b6test", "a", "Z", "0", "_", "-", "order_uid-2021_11"})
    void acceptsLettersDigitsUnderscoresAndHyphens(String id) {
        assertThat(OrderId.isValid(id)).isTrue();
    }

    @Test
    void acceptsSixtyFourCharactersAndNoMore() {
        assertThat(OrderId.isValid("a".repeat(64))).isTrue();
        assertThat(OrderId.isValid("a".repeat(65))).isFalse();
    }

    @Test
    void refusesNoId() {
        assertThat(OrderId.isValid(null)).isFalse();
        assertThat(OrderId.isValid("")).isFalse();
    }

    @Test
    void judgesEveryCharacterAsTheRuleDoes() {
        for (char c = 0; c < 0x3000; c++) {
            String id = "ab" + c + "9";
            assertThat(OrderId.isValid(id)).as("character U+%04X", (int) c).isEqualTo(RULE.matcher(id).matches());
        }
    }
}
