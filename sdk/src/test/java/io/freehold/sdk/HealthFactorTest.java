package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.types.MarketId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthFactorTest {

    @ParameterizedTest
    @CsvSource({
        "1.0523, 1.0523, false",
        "1.05239999, 1.0523, false", // rounded down: never reads healthier than it is
        "0.99999999, 0.9999, true",
        "1, 1.0000, false",
        "0.999999999999999999, 0.9999, true",
        "0, 0.0000, true",
        "12.5, 12.5000, false",
    })
    void formatsToFourPlacesRoundedDownAndKnowsTheLine(
            String value, String shown, boolean liquidatable) {
        HealthFactor hf = HealthFactor.of(Wad.parse(value));

        assertThat(hf).hasToString(shown);
        assertThat(hf.isLiquidatable()).isEqualTo(liquidatable);
        assertThat(hf.hasDebt()).isTrue();
        assertThat(hf.toWad()).isEqualTo(Wad.parse(value));
    }

    @Test
    void noDebtIsTheUint256MaxAndSortsLast() {
        HealthFactor none = HealthFactor.of(Wad.of(TokenAmount.MAX_BASE_UNITS));

        assertThat(none).isSameAs(HealthFactor.NO_DEBT);
        assertThat(none.hasDebt()).isFalse();
        assertThat(none.isLiquidatable()).isFalse();
        assertThat(none).hasToString("∞");
        assertThat(none).isGreaterThan(HealthFactor.of(Wad.parse("1000000")));
    }

    @Test
    void comparesByValue() {
        assertThat(HealthFactor.of(Wad.parse("0.9"))).isLessThan(HealthFactor.ONE);
        assertThat(HealthFactor.of(Wad.parse("1.0")))
                .isEqualByComparingTo(HealthFactor.ONE)
                .isEqualTo(HealthFactor.ONE)
                .hasSameHashCodeAs(HealthFactor.ONE);
    }

    @Test
    void marketId_parsesAndPrintsLowercase() {
        String hex = "0x" + "Ab".repeat(32);

        MarketId id = MarketId.fromHex(hex);

        assertThat(id)
                .hasToString(hex.toLowerCase())
                .isEqualTo(MarketId.fromHex(hex.toLowerCase()));
        assertThat(MarketId.fromBytes(id.toBytes())).isEqualTo(id);
        assertThatThrownBy(() -> MarketId.fromHex("ab".repeat(32))).hasMessageContaining("0x");
        assertThatThrownBy(() -> MarketId.fromHex("0x" + "ab".repeat(31)))
                .hasMessageContaining("has 62");
        assertThatThrownBy(() -> MarketId.fromHex("0x" + "ab".repeat(31) + "\u0661\u0662"))
                .hasMessageContaining("non-hex");
        assertThatThrownBy(() -> MarketId.fromHex("0x" + "ab".repeat(31) + "gg"))
                .hasMessageContaining("non-hex");
    }
}
