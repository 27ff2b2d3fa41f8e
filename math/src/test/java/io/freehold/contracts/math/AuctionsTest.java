package io.freehold.contracts.math;

import static io.freehold.contracts.math.FixedPoint.PRICE_SCALE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.types.Uint256;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The auction formulas worked out by hand on the Foundry fixture's terms (from 120% to 50% over 10
 * hours, penalty 5%, keeper 5 USD + 0.1% up to 100 USD); the chain comparison is testsupport's
 * AuctionChainTest.
 */
class AuctionsTest {

    private static final AuctionTerms TERMS =
            new AuctionTerms(
                    wad("1.2"),
                    wad("0.5"),
                    10 * 3600,
                    wad("0.05"),
                    usd(5),
                    wad("0.001"),
                    usd(100),
                    2);

    /** $70 per whole token: 70e6 × 1e36 / 1e18. */
    private static final BigInteger APPRAISAL = BigInteger.valueOf(70_000_000).multiply(wad("1"));

    @Test
    void startsAtThePremiumAndFallsLinearlyToTheFloor() {
        BigInteger top = Auctions.startPrice(TERMS, APPRAISAL);
        BigInteger floor = Auctions.floorPrice(TERMS, APPRAISAL);
        assertThat(top).isEqualTo(BigInteger.valueOf(84_000_000).multiply(wad("1")));
        assertThat(floor).isEqualTo(BigInteger.valueOf(35_000_000).multiply(wad("1")));
        assertThat(Auctions.priceAt(TERMS, top, floor, 1_000, 1_000)).isEqualTo(top);
        assertThat(Auctions.priceAt(TERMS, top, floor, 1_000, 1_000 + 36_000)).isEqualTo(floor);
        // Halfway: 84 − 49 / 2 = 59.5 USD.
        assertThat(Auctions.priceAt(TERMS, top, floor, 1_000, 1_000 + 18_000))
                .isEqualTo(BigInteger.valueOf(59_500_000).multiply(wad("1")));
        // One second in: the drop 49e24 / 36,000 = 1.3611…e21 rounds down, so the price rounds up.
        BigInteger drop = top.subtract(floor).divide(BigInteger.valueOf(36_000));
        assertThat(Auctions.priceAt(TERMS, top, floor, 1_000, 1_001)).isEqualTo(top.subtract(drop));
        assertThat(Auctions.endsAt(TERMS, 1_000)).isEqualTo(37_000);
    }

    @Test
    void hasNoPriceOutsideItsRun() {
        BigInteger top = Auctions.startPrice(TERMS, APPRAISAL);
        BigInteger floor = Auctions.floorPrice(TERMS, APPRAISAL);
        assertThatThrownBy(() -> Auctions.priceAt(TERMS, top, floor, 1_000, 37_001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs from 1000 to 37000");
        assertThatThrownBy(() -> Auctions.priceAt(TERMS, top, floor, 1_000, 999))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRunGivenByItsDurationPricesAsTheTerms() {
        BigInteger top = Auctions.startPrice(TERMS, APPRAISAL);
        BigInteger floor = Auctions.floorPrice(TERMS, APPRAISAL);
        for (long t = 1_000; t <= 37_000; t += 997) {
            assertThat(Auctions.priceAt(top, floor, 1_000, TERMS.durationSeconds(), t))
                    .as("at +%d s", t - 1_000)
                    .isEqualTo(Auctions.priceAt(TERMS, top, floor, 1_000, t));
        }
        assertThatThrownBy(() -> Auctions.priceAt(top, floor, 1_000, 36_000, 37_001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Auctions.priceAt(top, floor, 1_000, 0, 1_000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void penaltyRoundsUpAndTheKeeperRewardIsCapped() {
        assertThat(Auctions.penalty(TERMS, BigInteger.valueOf(6_000_000_001L)))
                .isEqualTo(BigInteger.valueOf(300_000_001)); // ⌈300,000,000.05⌉
        assertThat(Auctions.keeperReward(TERMS, usd(6_300)))
                .isEqualTo(usd(5).add(BigInteger.valueOf(6_300_000)));
        assertThat(Auctions.keeperReward(TERMS, BigInteger.valueOf(6_300_000_999L)))
                .isEqualTo(usd(5).add(BigInteger.valueOf(6_300_000))); // the rate rounds down
        assertThat(Auctions.keeperReward(TERMS, usd(1_000_000))).isEqualTo(usd(100));
        assertThat(Auctions.restartIsPaid(TERMS, 2)).isTrue();
        assertThat(Auctions.restartIsPaid(TERMS, 3)).isFalse();
    }

    @Test
    void aTakePaysThePriceRoundedUp() {
        BigInteger price = BigInteger.valueOf(59_500_000).multiply(wad("1")).add(BigInteger.ONE);
        AuctionTake t = Auctions.take(tokens(100), usd(6_400), tokens(10), price);
        // 10 tokens × 59.5 USD = 595 USD, plus the 1e-36 that rounds up to one base unit.
        assertThat(t.bought()).isEqualTo(tokens(10));
        assertThat(t.paid()).isEqualTo(usd(595).add(BigInteger.ONE));
        assertThat(t.closesDebt()).isFalse();
    }

    @Test
    void theSliceThatClearsTheDebtRoundsTheCollateralUp() {
        BigInteger price = BigInteger.valueOf(59_500_000).multiply(wad("1"));
        AuctionTake t = Auctions.take(tokens(100), usd(5_000), Uint256.MAX, price);
        assertThat(t.paid()).isEqualTo(usd(5_000));
        // ⌈5,000e6 × 1e36 / 59.5e24⌉ = ⌈84.0336134…e18⌉
        BigInteger expected =
                usd(5_000).multiply(PRICE_SCALE).add(price).subtract(BigInteger.ONE).divide(price);
        assertThat(t.bought()).isEqualTo(expected);
        assertThat(t.closesDebt()).isTrue();
        assertThat(t.bought()).isBetween(tokens(84), tokens(85));
    }

    @Test
    void aShortLotIsSoldWhole() {
        BigInteger price = BigInteger.valueOf(35_000_000).multiply(wad("1"));
        AuctionTake t = Auctions.take(tokens(100), usd(6_400), Uint256.MAX, price);
        assertThat(t.bought()).isEqualTo(tokens(100));
        assertThat(t.paid()).isEqualTo(usd(3_500));
        assertThat(t.closesDebt()).isFalse();
    }

    private static BigInteger wad(String decimal) {
        return new java.math.BigDecimal(decimal)
                .multiply(new java.math.BigDecimal(FixedPoint.WAD))
                .toBigIntegerExact();
    }

    private static BigInteger usd(long whole) {
        return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(6));
    }

    private static BigInteger tokens(long whole) {
        return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(18));
    }
}
