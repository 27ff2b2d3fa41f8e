package io.freehold.node.liquidation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings that cannot work are refused with a message naming the key to fix. */
class LiquidatorConfigurationTest {

    private static final LiquidatorConfiguration DEFAULTS = LiquidatorConfiguration.defaults();

    @Test
    void theDefaultsWatchAndAreUsable() {
        assertThat(DEFAULTS.mode()).isEqualTo(LiquidatorConfiguration.Mode.WATCH);
        assertThat(DEFAULTS.privateKeyEnv()).isEqualTo("FREEHOLD_LIQUIDATOR_KEY");
        assertThat(DEFAULTS.keystorePasswordEnv())
                .isEqualTo("FREEHOLD_LIQUIDATOR_KEYSTORE_PASSWORD");
        assertThat(DEFAULTS.feeBumpPercent()).isEqualByComparingTo("12.5");
        assertThat(DEFAULTS.receiver()).isNull();
    }

    @Test
    void aBumpBelowTwelveAndAHalfPercentNamesTheKey() {
        assertThatThrownBy(
                        () ->
                                DEFAULTS.withFees(
                                        null, DEFAULTS.maxFeePerGasCap(), new BigDecimal("10")))
                .hasMessageContaining("freehold.node.liquidator.fee-bump-percent")
                .hasMessageContaining("12.5");
    }

    @Test
    void theTakeDiscountIsAPercentBelowAHundredAndAbsentByDefault() {
        assertThat(DEFAULTS.auctionTakeDiscount()).isNull(); // never take
        assertThat(DEFAULTS.withAuctionTakeDiscount(new BigDecimal("12.5")).auctionTakeDiscount())
                .isEqualByComparingTo("12.5");
        for (String bad : new String[] {"-1", "100", "250"}) {
            assertThatThrownBy(() -> DEFAULTS.withAuctionTakeDiscount(new BigDecimal(bad)))
                    .hasMessageContaining("freehold.node.liquidator.auction-take-discount");
        }
    }

    @Test
    void otherBadValuesNameTheirKeys() {
        assertThatThrownBy(() -> DEFAULTS.withReceiver("0x1234"))
                .hasMessageContaining("freehold.node.liquidator.receiver");
        assertThatThrownBy(() -> DEFAULTS.withMinProfit(BigInteger.valueOf(-1)))
                .hasMessageContaining("freehold.node.liquidator.min-profit");
        assertThatThrownBy(() -> DEFAULTS.withFees(null, BigInteger.ZERO, new BigDecimal("12.5")))
                .hasMessageContaining("freehold.node.liquidator.max-fee-per-gas-cap");
        assertThatThrownBy(
                        () ->
                                DEFAULTS.withFees(
                                        BigInteger.TEN, BigInteger.ONE, new BigDecimal("12.5")))
                .hasMessageContaining("freehold.node.liquidator.priority-fee-per-gas");
        assertThatThrownBy(() -> DEFAULTS.withTiming(Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("freehold.node.liquidator.stuck-after");
        assertThatThrownBy(() -> DEFAULTS.withTiming(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .hasMessageContaining("freehold.node.liquidator.cooldown");
    }
}
