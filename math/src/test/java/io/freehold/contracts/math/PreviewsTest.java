package io.freehold.contracts.math;

import static io.freehold.contracts.math.ActionRevert.BORROW_CAP_EXCEEDED;
import static io.freehold.contracts.math.ActionRevert.INSUFFICIENT_COLLATERAL;
import static io.freehold.contracts.math.ActionRevert.INSUFFICIENT_LIQUIDITY;
import static io.freehold.contracts.math.ActionRevert.INSUFFICIENT_SUPPLY_SHARES;
import static io.freehold.contracts.math.ActionRevert.MAX_LTV_EXCEEDED;
import static io.freehold.contracts.math.ActionRevert.REPAY_EXCEEDS_DEBT;
import static io.freehold.contracts.math.ActionRevert.SUPPLY_CAP_EXCEEDED;
import static io.freehold.contracts.math.ActionRevert.ZERO_AMOUNT;
import static io.freehold.contracts.math.ActionRevert.ZERO_SHARES;
import static io.freehold.contracts.math.Fixtures.LIQUIDITY;
import static io.freehold.contracts.math.Fixtures.MAX;
import static io.freehold.contracts.math.Fixtures.T0;
import static io.freehold.contracts.math.Fixtures.borrower;
import static io.freehold.contracts.math.Fixtures.dollarsPerToken;
import static io.freehold.contracts.math.Fixtures.market;
import static io.freehold.contracts.math.Fixtures.n;
import static io.freehold.contracts.math.Fixtures.terms;
import static io.freehold.contracts.math.Fixtures.tokens;
import static io.freehold.contracts.math.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The borrower and lender actions in the unit tests' market: 1,000,000 mUSD supplied, a borrower
 * with 10 tokens at $100 owing 500 mUSD (so 150 more within max LTV 65%).
 */
class PreviewsTest {

    private static final BigInteger PRICE = dollarsPerToken(100);
    private static final MarketState MARKET = market(LIQUIDITY, usd(500), tokens(10));
    private static final PositionState BORROWER = borrower(usd(500), tokens(10));
    private static final PositionState LENDER =
            new PositionState(
                    LIQUIDITY.multiply(Shares.VIRTUAL_SHARES),
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    BigInteger.ZERO);

    // ------------------------------------------------------------------ lenders

    @Test
    void supplyMintsSharesRoundedDown() {
        ActionPreview p = Previews.supply(terms(), MARKET, T0, PositionState.EMPTY, usd(1_000));
        assertThat(p.reverts()).isFalse();
        // 1,000e6 × (1e18 + 1e6) / (1e12 + 1) = 1e15: still a million shares per asset.
        assertThat(p.shares()).isEqualTo(n("1_000_000_000_000_000"));
        assertThat(p.position().supplyShares()).isEqualTo(p.shares());
        assertThat(p.market().totalSupplyAssets()).isEqualTo(LIQUIDITY.add(usd(1_000)));
        assertThat(p.market().totalSupplyShares())
                .isEqualTo(MARKET.totalSupplyShares().add(p.shares()));
        assertThat(p.accrual()).as("no time passed").isEmpty();
    }

    @Test
    void supplyAccruesFirst() {
        ActionPreview p =
                Previews.supply(terms(), MARKET, T0 + 3_600, PositionState.EMPTY, usd(1_000));
        Accrual a = MARKET.accrueTo(terms(), T0 + 3_600);
        assertThat(p.accrual()).contains(a);
        assertThat(p.market().lastUpdate()).isEqualTo(T0 + 3_600);
        assertThat(p.market().totalSupplyAssets())
                .isEqualTo(a.market().totalSupplyAssets().add(usd(1_000)));
        assertThat(p.shares())
                .isEqualTo(
                        Shares.toSharesDown(
                                usd(1_000),
                                a.market().totalSupplyAssets(),
                                a.market().totalSupplyShares()));
    }

    @Test
    void supplyRevertsAtTheCapAndOnDust() {
        MarketTerms capped = Fixtures.terms(usd(1_000_100), BigInteger.ZERO);
        assertThat(Previews.supply(capped, MARKET, T0, PositionState.EMPTY, usd(100)).reverts())
                .isFalse();
        assertRevert(
                Previews.supply(
                        capped, MARKET, T0, PositionState.EMPTY, usd(100).add(BigInteger.ONE)),
                SUPPLY_CAP_EXCEEDED,
                usd(1_000_100).add(BigInteger.ONE),
                usd(1_000_100));
        assertRevert(
                Previews.supply(terms(), MARKET, T0, PositionState.EMPTY, BigInteger.ZERO),
                ZERO_AMOUNT);
        // A market whose supply share is worth more than an asset: 1 asset buys no share.
        MarketState rich =
                new MarketState(
                        n("10_000_000_000_000"),
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        T0);
        assertRevert(
                Previews.supply(terms(), rich, T0, PositionState.EMPTY, BigInteger.ONE),
                ZERO_SHARES);
    }

    @Test
    void withdrawBurnsSharesRoundedUpAndAllWithMax() {
        ActionPreview some = Previews.withdraw(terms(), MARKET, T0, LENDER, usd(1_000));
        // 1,000e6 × (1e18 + 1e6) / (1e12 + 1) = 1e15 exactly, nothing to round
        assertThat(some.shares()).isEqualTo(n("1_000_000_000_000_000"));
        // After interest a share is worth more than 1e-6 assets and the burn rounds up.
        MarketState accrued = MARKET.accrueTo(terms(), T0 + 86_400).market();
        BigInteger burned =
                Previews.withdraw(terms(), MARKET, T0 + 86_400, LENDER, usd(1_000)).shares();
        assertThat(burned)
                .isEqualTo(
                        Shares.toSharesUp(
                                usd(1_000),
                                accrued.totalSupplyAssets(),
                                accrued.totalSupplyShares()));
        assertThat(burned)
                .isGreaterThan(
                        Shares.toSharesDown(
                                usd(1_000),
                                accrued.totalSupplyAssets(),
                                accrued.totalSupplyShares()));
        assertThat(some.assets()).isEqualTo(usd(1_000));

        // All of it: limited by liquidity (500 is lent out).
        assertRevert(
                Previews.withdrawAll(terms(), MARKET, T0, LENDER),
                INSUFFICIENT_LIQUIDITY,
                LIQUIDITY.subtract(usd(500)),
                LIQUIDITY);
        MarketState idle = market(LIQUIDITY, BigInteger.ZERO, BigInteger.ZERO);
        ActionPreview all = Previews.withdraw(terms(), idle, T0, LENDER, MAX);
        assertThat(all.assets()).isEqualTo(LIQUIDITY);
        assertThat(all.shares()).isEqualTo(LENDER.supplyShares());
        assertThat(all.position().supplyShares()).isZero();
        assertThat(all.market().totalSupplyAssets()).isZero();
    }

    @Test
    void withdrawRevertsBeyondTheLendersShares() {
        ActionPreview p =
                Previews.withdraw(terms(), MARKET, T0, LENDER, LIQUIDITY.add(BigInteger.ONE));
        assertThat(p.revertReason()).hasValue(INSUFFICIENT_SUPPLY_SHARES);
        assertRevert(Previews.withdrawAll(terms(), MARKET, T0, PositionState.EMPTY), ZERO_AMOUNT);
    }

    // ------------------------------------------------------------------ borrowers

    @Test
    void borrowUpToMaxLtvAndNotOneMore() {
        ActionPreview exactly = Previews.borrow(terms(), MARKET, T0, BORROWER, PRICE, usd(150));
        assertThat(exactly.reverts()).isFalse();
        assertThat(exactly.shares()).isEqualTo(usd(150).multiply(Shares.VIRTUAL_SHARES));
        assertThat(Valuation.debt(exactly.market(), exactly.position())).isEqualTo(usd(650));
        assertRevert(
                Previews.borrow(terms(), MARKET, T0, BORROWER, PRICE, usd(150).add(BigInteger.ONE)),
                MAX_LTV_EXCEEDED,
                usd(650).add(BigInteger.ONE),
                usd(650));
    }

    @Test
    void borrowChecksLiquidityThenTheCapThenTheLtv() {
        assertRevert(
                Previews.borrow(terms(), MARKET, T0, BORROWER, PRICE, LIQUIDITY),
                INSUFFICIENT_LIQUIDITY,
                LIQUIDITY.subtract(usd(500)),
                LIQUIDITY);
        MarketTerms capped = Fixtures.terms(BigInteger.ZERO, usd(600));
        // The cap is checked before the LTV: 200 is over both, the cap answers.
        assertRevert(
                Previews.borrow(capped, MARKET, T0, BORROWER, PRICE, usd(200)),
                BORROW_CAP_EXCEEDED,
                usd(700),
                usd(600));
        assertRevert(
                Previews.borrow(terms(), MARKET, T0, BORROWER, PRICE, BigInteger.ZERO),
                ZERO_AMOUNT);
    }

    @Test
    void repayPartOfTheDebtBurnsSharesRoundedDown() {
        ActionPreview p = Previews.repay(terms(), MARKET, T0, BORROWER, usd(100));
        assertThat(p.assets()).isEqualTo(usd(100));
        assertThat(p.shares()).isEqualTo(usd(100).multiply(Shares.VIRTUAL_SHARES));
        assertThat(p.market().totalBorrowAssets()).isEqualTo(usd(400));
    }

    @Test
    void repayTheDebtOrMaxBurnsEveryShare() {
        for (BigInteger amount : List.of(usd(500), MAX)) {
            ActionPreview p = Previews.repay(terms(), MARKET, T0, BORROWER, amount);
            assertThat(p.assets()).isEqualTo(usd(500));
            assertThat(p.position().borrowShares()).isZero();
            assertThat(p.market().totalBorrowShares()).isZero();
        }
        assertThat(Previews.repayAll(terms(), MARKET, T0, BORROWER).assets()).isEqualTo(usd(500));
    }

    @Test
    void repayRevertsAboveTheDebtWithoutDebtAndOnDust() {
        assertRevert(
                Previews.repay(terms(), MARKET, T0, BORROWER, usd(500).add(BigInteger.ONE)),
                REPAY_EXCEEDS_DEBT,
                usd(500).add(BigInteger.ONE),
                usd(500));
        assertRevert(
                Previews.repay(terms(), MARKET, T0, PositionState.EMPTY, MAX),
                REPAY_EXCEEDS_DEBT,
                MAX,
                BigInteger.ZERO);
        // A share worth 3 assets: repaying 1 burns no share.
        MarketState dear =
                new MarketState(
                        LIQUIDITY,
                        LIQUIDITY,
                        BigInteger.valueOf(3_000_000),
                        BigInteger.ONE,
                        BigInteger.ZERO,
                        T0);
        PositionState owesThree =
                new PositionState(
                        BigInteger.ZERO,
                        BigInteger.ONE,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO);
        assertRevert(Previews.repay(terms(), dear, T0, owesThree, BigInteger.ONE), ZERO_SHARES);
    }

    @Test
    void supplyCollateralDoesNotAccrue() {
        ActionPreview p = Previews.supplyCollateral(terms(), MARKET, BORROWER, tokens(5));
        assertThat(p.market().lastUpdate()).as("lastUpdate untouched").isEqualTo(T0);
        assertThat(p.market().totalCollateral()).isEqualTo(tokens(15));
        assertThat(p.position().collateral()).isEqualTo(tokens(15));
        assertThat(p.accrual()).isEmpty();
        assertRevert(
                Previews.supplyCollateral(terms(), MARKET, BORROWER, BigInteger.ZERO), ZERO_AMOUNT);
    }

    @Test
    void supplyCollateralPullsAndSettlesRentFirst() {
        // 10 tokens held for borrowers, 100 mUSD owed to the pool: the index grows by 1e8 × 1e36 /
        // 1e19 = 1e25,
        // and the borrower's 10 tokens earn all 100 before the 5 new ones arrive.
        PoolRent rent = new PoolRent(BigInteger.ZERO, tokens(10), usd(100));
        ActionPreview p = Previews.supplyCollateral(terms(), MARKET, BORROWER, tokens(5), rent);
        BigInteger index = BigInteger.TEN.pow(25);
        assertThat(p.rentPulled()).isEqualTo(usd(100));
        assertThat(p.position().rentAccrued()).isEqualTo(usd(100));
        assertThat(p.position().rentIndexPaid()).isEqualTo(index);
        assertThat(p.rent()).contains(new PoolRent(index, tokens(15), BigInteger.ZERO));
    }

    @Test
    void withdrawCollateralDownToMaxLtv() {
        // Debt 500 at max LTV 65% needs collateral worth 769.230770: 7.6923077 tokens stay.
        BigInteger most = n("2_307_692_300_000_000_000");
        assertThat(
                        Previews.withdrawCollateral(terms(), MARKET, T0, BORROWER, PRICE, most)
                                .reverts())
                .isFalse();
        assertRevert(
                Previews.withdrawCollateral(
                        terms(), MARKET, T0, BORROWER, PRICE, most.add(BigInteger.ONE)),
                MAX_LTV_EXCEEDED,
                usd(500),
                BigInteger.valueOf(499_999_999));
        assertRevert(
                Previews.withdrawCollateral(terms(), MARKET, T0, BORROWER, PRICE, tokens(11)),
                INSUFFICIENT_COLLATERAL,
                tokens(11),
                tokens(10));
    }

    @Test
    void withdrawCollateralWithoutDebtNeedsNoPrice() {
        PositionState owner =
                new PositionState(
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        tokens(10),
                        BigInteger.ZERO,
                        BigInteger.ZERO);
        ActionPreview p = Previews.withdrawCollateral(terms(), MARKET, T0, owner, null, tokens(10));
        assertThat(p.position().collateral()).isZero();
        assertThatThrownBy(
                        () ->
                                Previews.withdrawCollateral(
                                        terms(), MARKET, T0, BORROWER, null, tokens(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("price");
    }

    @Test
    void aRevertedActionChangesNothing() {
        ActionPreview p =
                Previews.borrow(terms(), MARKET, T0 + 86_400, BORROWER, PRICE, usd(1_000));
        assertThat(p.reverts()).isTrue();
        assertThat(p.market()).as("not even the accrual").isSameAs(MARKET);
        assertThat(p.position()).isSameAs(BORROWER);
        assertThat(p.accrual()).isEmpty();
        assertThat(p.assets()).isZero();
    }

    @Test
    void claimRentAndRepayWithRent() {
        PoolRent rent = new PoolRent(BigInteger.ZERO, tokens(10), usd(30));
        ActionPreview claim = Previews.claimRent(MARKET, BORROWER, rent);
        assertThat(claim.assets()).isEqualTo(usd(30));
        assertThat(claim.position().rentAccrued()).isZero();
        assertThat(claim.market()).isSameAs(MARKET);

        ActionPreview repaid = Previews.repayWithRent(terms(), MARKET, T0, BORROWER, rent);
        assertThat(repaid.assets()).isEqualTo(usd(30));
        assertThat(repaid.shares()).isEqualTo(usd(30).multiply(Shares.VIRTUAL_SHARES));
        assertThat(repaid.position().rentAccrued()).isZero();
        assertThat(Valuation.debt(repaid.market(), repaid.position())).isEqualTo(usd(470));

        assertRevert(
                Previews.repayWithRent(terms(), MARKET, T0, BORROWER, PoolRent.NONE), ZERO_AMOUNT);
    }

    @Test
    void claimRentOfNothingStillSettlesThePosition() {
        // One unit pulled over 20 tokens: index 5e16, half a unit for the borrower's 10 tokens.
        PoolRent rent = new PoolRent(BigInteger.ZERO, tokens(20), BigInteger.ONE);
        ActionPreview claim = Previews.claimRent(MARKET, BORROWER, rent);
        assertThat(claim.reverts()).isFalse();
        assertThat(claim.assets()).as("RentClaimed amount, emitted even when 0").isZero();
        assertThat(claim.rentPulled()).isOne();
        assertThat(claim.position().rentIndexPaid())
                .as("settled at the new index")
                .isEqualTo(BigInteger.valueOf(5).multiply(BigInteger.TEN.pow(16)));
        assertThat(claim.position().rentAccrued()).isZero();
        assertThat(claim.rent()).hasValueSatisfying(r -> assertThat(r.pending()).isZero());
    }

    private static void assertRevert(
            ActionPreview p, ActionRevert reason, BigInteger... arguments) {
        assertThat(p.revert())
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.reason()).isEqualTo(reason);
                            assertThat(r.arguments()).containsExactly(arguments);
                        });
    }
}
