package io.freehold.contracts.math;

import static io.freehold.contracts.math.Fixtures.LIQUIDITY;
import static io.freehold.contracts.math.Fixtures.MAX;
import static io.freehold.contracts.math.Fixtures.borrower;
import static io.freehold.contracts.math.Fixtures.market;
import static io.freehold.contracts.math.Fixtures.n;
import static io.freehold.contracts.math.Fixtures.priceFor;
import static io.freehold.contracts.math.Fixtures.terms;
import static io.freehold.contracts.math.Fixtures.tokens;
import static io.freehold.contracts.math.Fixtures.usd;
import static io.freehold.contracts.math.Fixtures.wad;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Foundry liquidation cases (test/unit/LendingPool.Liquidate.t.sol), worked out by hand: a
 * borrower of {@code debt} against {@code collateral} appraised so that it is worth exactly {@code
 * value}, in a market with 1,000,000 mUSD supplied. Incentive 1.081081081081081081.
 */
class LiquidationsTest {

    private static LiquidationPreview liquidate(
            BigInteger collateral, BigInteger debt, BigInteger value, BigInteger request) {
        return Liquidations.preview(
                terms(),
                market(LIQUIDITY, debt, collateral),
                borrower(debt, collateral),
                priceFor(value, collateral),
                request);
    }

    @Test
    void aboveHealthNinetyFiveHalfTheDebtRoundedUp() {
        // 10 tokens worth 850 against 649.999999: HF = 637.5 / 649.999999 = 0.9807…, so 50%,
        // ⌈649,999,999 / 2⌉.
        LiquidationPreview p =
                liquidate(tokens(10), BigInteger.valueOf(649_999_999), usd(850), MAX);
        assertThat(p.reverts()).isFalse();
        assertThat(p.repaidAssets()).isEqualTo(325_000_000);
        assertThat(p.repaidShares()).isEqualTo(325_000_000L * 1_000_000);
        // ⌊325e6 × 1.081081081081081081⌋ = 351,351,351; × 1e36 / 8.5e25 = 4.1335453058823529411…
        // tokens
        assertThat(p.seizedCollateral()).isEqualTo(n("4_133_545_305_882_352_941"));
        assertThat(p.badDebtAssets()).isZero();
        assertThat(p.position().borrowShares()).isEqualTo(324_999_999L * 1_000_000);
        assertThat(p.position().collateral()).isEqualTo(n("5_866_454_694_117_647_059"));
        assertThat(p.market().totalBorrowAssets()).isEqualTo(324_999_999);
        assertThat(p.market().totalCollateral()).isEqualTo(n("5_866_454_694_117_647_059"));
    }

    @Test
    void atHealthNinetyFiveTheWholeDebt() {
        // 823.333334 × 0.75 rounds to 617.5: HF exactly 0.95.
        LiquidationPreview p =
                liquidate(tokens(10), usd(650), BigInteger.valueOf(823_333_334), MAX);
        assertThat(p.repaidAssets()).isEqualTo(usd(650));
        assertThat(p.position().borrowShares()).isZero();
        assertThat(p.seizedCollateral()).isEqualTo(n("8_534_850_624_668_137_146"));
        assertThat(p.position().collateral()).isEqualTo(n("1_465_149_375_331_862_854"));
    }

    @Test
    void theWholeDebtWhenHalfWouldLeaveLessThanTwiceTheMinimum() {
        // 19.999999 of debt < 2 × 10: closeable whole even at HF 0.975.
        LiquidationPreview p = liquidate(tokens(10), BigInteger.valueOf(19_999_999), usd(26), MAX);
        assertThat(p.repaidAssets()).isEqualTo(19_999_999);
        assertThat(p.position().borrowShares()).isZero();
        assertThat(p.seizedCollateral()).isEqualTo(n("8_316_007_692_307_692_307"));
    }

    @Test
    void aSmallerRequestIsHonoured() {
        LiquidationPreview p =
                liquidate(tokens(10), BigInteger.valueOf(649_999_999), usd(850), usd(100));
        assertThat(p.repaidAssets()).isEqualTo(usd(100));
        assertThat(p.repaidShares()).isEqualTo(usd(100).multiply(Shares.VIRTUAL_SHARES));
    }

    @Test
    void allCollateralAndBadDebtWhenTheCollateralCannotCoverIt() {
        // 10 tokens worth 500 against 700: seizing 700 × 1.081 would take 15.1 tokens. All 10 go,
        // the
        // liquidator pays ⌈500 / 1.081081081081081081⌉ = 462.500001, and 237.499999 is written off.
        LiquidationPreview p = liquidate(tokens(10), usd(700), usd(500), MAX);
        assertThat(p.seizedCollateral()).isEqualTo(tokens(10));
        assertThat(p.repaidAssets()).isEqualTo(462_500_001);
        assertThat(p.badDebtAssets()).isEqualTo(237_499_999);
        assertThat(p.badDebtShares()).isEqualTo(237_499_999L * 1_000_000);
        assertThat(p.position()).isEqualTo(PositionState.EMPTY);
        assertThat(p.market().totalBorrowAssets()).isZero();
        assertThat(p.market().totalBorrowShares()).isZero();
        assertThat(p.market().totalSupplyAssets())
                .as("lenders share the loss")
                .isEqualTo(LIQUIDITY.subtract(BigInteger.valueOf(237_499_999)));
    }

    @Test
    void refusesAHealthyPositionWithItsHealthFactor() {
        // ⌊866.666667 × 0.75⌋ = 650: HF exactly 1.
        LiquidationPreview p =
                liquidate(tokens(10), usd(650), BigInteger.valueOf(866_666_667), MAX);
        assertThat(p.revert())
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.reason()).isEqualTo(LiquidationRevert.POSITION_HEALTHY);
                            assertThat(r.arguments()).containsExactly(wad("1"));
                        });
        assertThat(p.market()).isEqualTo(market(LIQUIDITY, usd(650), tokens(10)));
        assertThat(p.repaidAssets()).isZero();
    }

    @Test
    void refusesToLeaveDebtDust() {
        // HF 0.9 allows the whole debt, but repaying 25 of 30 would leave 5 < 10.
        LiquidationPreview p = liquidate(tokens(1), usd(30), usd(36), usd(25));
        assertThat(p.revert())
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.reason()).isEqualTo(LiquidationRevert.MUST_NOT_LEAVE_DUST);
                            assertThat(r.arguments())
                                    .containsExactly(usd(5), BigInteger.valueOf(8_972_973));
                        });
    }

    @Test
    void refusesToLeaveCollateralDust() {
        LiquidationPreview p = liquidate(tokens(1), usd(60), usd(60), usd(50));
        assertThat(p.revert())
                .hasValueSatisfying(
                        r ->
                                assertThat(r.arguments())
                                        .containsExactly(usd(10), BigInteger.valueOf(5_945_946)));
    }

    @Test
    void refusesAPartialLiquidationThatLowersHealth() {
        // HF 0.75 with collateral worth less than debt × incentive. Repaying 200 of 600 seizes
        // ⌊216,216,216 × 1e36 / 6e25⌋ = 3.6036036 tokens; 6.3963964 tokens are worth 383.783784,
        // HF after = ⌊383,783,784 × 0.75⌋ / 400e6 = 0.719594595.
        LiquidationPreview p = liquidate(tokens(10), usd(600), usd(600), usd(200));
        assertThat(p.revert())
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.reason()).isEqualTo(LiquidationRevert.HEALTH_WOULD_WORSEN);
                            assertThat(r.arguments())
                                    .containsExactly(wad("0.75"), n("719_594_595_000_000_000"));
                        });
        // Seizing everything is what is allowed then.
        assertThat(liquidate(tokens(10), usd(600), usd(600), MAX).seizedCollateral())
                .isEqualTo(tokens(10));
    }

    @Test
    void refusesARepaymentWorthNoShare() {
        // A share is worth 3 assets: repaying 1 of a debt of 3 burns ⌊1 × 1,000,001 / 3,000,001⌋ =
        // 0 shares.
        MarketState m =
                new MarketState(
                        LIQUIDITY,
                        LIQUIDITY,
                        BigInteger.valueOf(3_000_000),
                        BigInteger.ONE,
                        BigInteger.ONE,
                        Fixtures.T0);
        PositionState p =
                new PositionState(
                        BigInteger.ZERO,
                        BigInteger.ONE,
                        BigInteger.ONE,
                        BigInteger.ZERO,
                        BigInteger.ZERO);
        assertThat(
                        Liquidations.preview(terms(), m, p, BigInteger.ONE, BigInteger.ONE)
                                .revertReason())
                .hasValue(LiquidationRevert.ZERO_SHARES);
    }

    @Test
    void refusesAZeroRequestFirst() {
        LiquidationPreview p =
                liquidate(tokens(10), usd(650), BigInteger.valueOf(866_666_667), BigInteger.ZERO);
        assertThat(p.revertReason()).hasValue(LiquidationRevert.ZERO_AMOUNT);
    }

    @Test
    void settlesTheBorrowersRentWhenGivenThePoolsRentAndAppliesItBeforeBadDebt() {
        // The pool holds 20 tokens for borrowers and is owed 3,000 mUSD of rent: the index grows by
        // 3,000e6 × 1e36 / 20e18 = 1.5e26 and the borrower's 10 tokens earn 1,500 mUSD before
        // seizure.
        PoolRent rent = new PoolRent(BigInteger.ZERO, tokens(20), usd(3_000));
        LiquidationPreview p =
                Liquidations.preview(
                        terms(),
                        market(LIQUIDITY, usd(700), tokens(10)),
                        borrower(usd(700), tokens(10)),
                        priceFor(usd(500), tokens(10)),
                        MAX,
                        rent);
        assertThat(p.rentPulled()).isEqualTo(usd(3_000));
        assertThat(p.position().rentIndexPaid())
                .isEqualTo(n("150_000_000_000_000_000_000_000_000"));
        assertThat(p.rent())
                .contains(
                        new PoolRent(
                                n("150_000_000_000_000_000_000_000_000"),
                                tokens(10),
                                BigInteger.ZERO));
        // The liquidator's part is the same as without rent; the shortfall is paid from the
        // borrower's rent
        // instead of being written off.
        LiquidationPreview plain = liquidate(tokens(10), usd(700), usd(500), MAX);
        assertThat(List.of(p.repaidAssets(), p.seizedCollateral()))
                .isEqualTo(List.of(plain.repaidAssets(), plain.seizedCollateral()));
        assertThat(plain.rent()).isEmpty();
        BigInteger shortfall = usd(700).subtract(p.repaidAssets());
        assertThat(p.rentRepaidAssets()).isEqualTo(shortfall);
        assertThat(p.badDebtAssets()).isZero();
        assertThat(p.position().borrowShares()).isZero();
        assertThat(p.position().rentAccrued()).isEqualTo(usd(1_500).subtract(shortfall));
    }

    @Test
    void writesOffOnlyWhatTheRentDoesNotCover() {
        // 20 mUSD of rent for the borrower's 10 tokens of 20: the shortfall of ~237.5 shrinks by
        // 20.
        PoolRent rent = new PoolRent(BigInteger.ZERO, tokens(20), usd(40));
        LiquidationPreview p =
                Liquidations.preview(
                        terms(),
                        market(LIQUIDITY, usd(700), tokens(10)),
                        borrower(usd(700), tokens(10)),
                        priceFor(usd(500), tokens(10)),
                        MAX,
                        rent);
        LiquidationPreview plain = liquidate(tokens(10), usd(700), usd(500), MAX);
        assertThat(p.rentRepaidAssets()).isEqualTo(usd(20));
        assertThat(p.position().rentAccrued()).isZero();
        assertThat(p.badDebtAssets())
                .isBetween(
                        plain.badDebtAssets().subtract(usd(20)).subtract(BigInteger.ONE),
                        plain.badDebtAssets().subtract(usd(20)).add(BigInteger.ONE));
        assertThat(p.position().borrowShares()).isZero();
    }

    @Test
    void rentInAnotherTokenIsNotAppliedToDebt() {
        PoolRent rent = new PoolRent(BigInteger.ZERO, tokens(20), usd(3_000));
        LiquidationPreview p =
                Liquidations.preview(
                        terms(),
                        market(LIQUIDITY, usd(700), tokens(10)),
                        borrower(usd(700), tokens(10)),
                        priceFor(usd(500), tokens(10)),
                        MAX,
                        rent,
                        false);
        LiquidationPreview plain = liquidate(tokens(10), usd(700), usd(500), MAX);
        assertThat(p.rentRepaidAssets()).isZero();
        assertThat(p.badDebtAssets()).isEqualTo(plain.badDebtAssets());
        assertThat(p.position().rentAccrued()).isEqualTo(usd(1_500));
    }
}
