package io.freehold.contracts.math;

import static io.freehold.contracts.math.Fixtures.LIQUIDITY;
import static io.freehold.contracts.math.Fixtures.MAX;
import static io.freehold.contracts.math.Fixtures.borrower;
import static io.freehold.contracts.math.Fixtures.dollarsPerToken;
import static io.freehold.contracts.math.Fixtures.market;
import static io.freehold.contracts.math.Fixtures.n;
import static io.freehold.contracts.math.Fixtures.terms;
import static io.freehold.contracts.math.Fixtures.tokens;
import static io.freehold.contracts.math.Fixtures.usd;
import static io.freehold.contracts.math.Fixtures.wad;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ValuationTest {

    @Test
    void theReadmesWorkedExample() {
        // "A property token appraised at 52.40 USD, lent against in a 6-decimal stablecoin, has
        // price
        // 52.40e6 × 1e36 / 1e18 = 5.24e25." The local system's borrower: 400 tokens, 12,000 mUSD
        // borrowed
        // from 500,000 supplied (LLTV 75%, max LTV 65%).
        BigInteger price = n("52_400_000_000_000_000_000_000_000");
        assertThat(price).isEqualTo(new BigInteger("524").multiply(BigInteger.TEN.pow(23)));
        PositionValuation v =
                Valuation.of(
                        terms(),
                        market(usd(500_000), usd(12_000), tokens(400)),
                        borrower(usd(12_000), tokens(400)),
                        price);

        assertThat(v.collateralValue()).as("400 × $52.40").isEqualTo(usd(20_960));
        assertThat(v.debt()).isEqualTo(usd(12_000));
        assertThat(v.ltv()).as("⌈12,000 / 20,960⌉").isEqualTo(n("572_519_083_969_465_649"));
        assertThat(v.healthFactor()).as("15,720 / 12,000").isEqualTo(wad("1.31"));
        assertThat(v.liquidationPrice())
                .as("⌈⌈12,000 / 0.75⌉ / 400⌉ = $40.00 a token")
                .isEqualTo(dollarsPerToken(40));
        assertThat(v.maxBorrowable()).as("13,624 − 12,000").isEqualTo(usd(1_624));
        assertThat(v.liquidatable()).isFalse();
        assertThat(v.price()).isEqualTo(price);
        assertThat(v.supplyShares()).isZero();
        assertThat(v.supplyAssets()).isZero();
        assertThat(v.borrowShares()).isEqualTo(usd(12_000).multiply(Shares.VIRTUAL_SHARES));
    }

    @Test
    void aBorrowerAsTheFoundryViewTestValuesIt() {
        // 10 tokens at $100 against 500 mUSD: LTV 50%, health 750 / 500, 150 more borrowable.
        PositionValuation v =
                Valuation.of(
                        terms(),
                        market(usd(100_000), usd(500), tokens(10)),
                        borrower(usd(500), tokens(10)),
                        dollarsPerToken(100));
        assertThat(v.collateralValue()).isEqualTo(usd(1_000));
        assertThat(v.ltv()).isEqualTo(wad("0.5"));
        assertThat(v.healthFactor()).isEqualTo(wad("1.5"));
        assertThat(v.maxBorrowable()).isEqualTo(usd(150));
        // ⌈⌈500e6 × 1e18 / 0.75e18⌉ × 1e36 / 10e18⌉ = ⌈666,666,667 × 1e17⌉: $66.6666667
        assertThat(v.liquidationPrice()).isEqualTo(n("66_666_666_700_000_000_000_000_000"));
    }

    @Test
    void liquidatableExactlyBelowTheLiquidationPrice() {
        // 7 tokens against 450 mUSD: the Foundry case where dividing by the collateral first
        // overshot by one.
        MarketState m = market(usd(100_000), usd(450), tokens(7));
        PositionState p = borrower(usd(450), tokens(7));
        BigInteger liquidationPrice =
                Valuation.of(terms(), m, p, dollarsPerToken(100)).liquidationPrice();
        PositionValuation at = Valuation.of(terms(), m, p, liquidationPrice);
        PositionValuation below =
                Valuation.of(terms(), m, p, liquidationPrice.subtract(BigInteger.ONE));
        assertThat(at.liquidatable()).isFalse();
        assertThat(at.healthFactor()).isGreaterThanOrEqualTo(Fixtures.WAD);
        assertThat(below.liquidatable()).isTrue();
        assertThat(below.healthFactor()).isLessThan(Fixtures.WAD);
    }

    @Test
    void theEdgesWithoutDebtValueOrCollateral() {
        PositionValuation empty =
                Valuation.of(
                        terms(),
                        market(LIQUIDITY, BigInteger.ZERO, BigInteger.ZERO),
                        PositionState.EMPTY,
                        dollarsPerToken(100));
        assertThat(empty.healthFactor()).isEqualTo(MAX);
        assertThat(empty.ltv()).isZero();
        assertThat(empty.liquidationPrice()).isZero();
        assertThat(empty.maxBorrowable()).isZero();
        assertThat(empty.liquidatable()).isFalse();

        // A price of one: 10 tokens are worth nothing in 6-decimal base units.
        PositionValuation worthless =
                Valuation.of(
                        terms(),
                        market(LIQUIDITY, usd(500), tokens(10)),
                        borrower(usd(500), tokens(10)),
                        BigInteger.ONE);
        assertThat(worthless.collateralValue()).isZero();
        assertThat(worthless.ltv()).isEqualTo(MAX);
        assertThat(worthless.healthFactor()).isZero();
        assertThat(worthless.maxBorrowable()).isZero();
        assertThat(worthless.liquidatable()).isTrue();

        PositionValuation noCollateral =
                Valuation.of(
                        terms(),
                        market(LIQUIDITY, usd(500), BigInteger.ZERO),
                        borrower(usd(500), BigInteger.ZERO),
                        dollarsPerToken(100));
        assertThat(noCollateral.liquidationPrice()).isEqualTo(MAX);
    }

    @Test
    void maxBorrowableIsOneLessWhenTheHeadroomWouldRoundTheDebtOver() {
        // A market whose borrow share is worth 0.00119… assets: the borrower owes 394,794 and may
        // owe
        // 394,838, but borrowing the 44 of headroom mints 36,964,190 shares, which round the debt
        // up to
        // 394,839. So 43 is the most borrow() accepts.
        MarketState m =
                new MarketState(
                        LIQUIDITY,
                        LIQUIDITY.multiply(Shares.VIRTUAL_SHARES),
                        n("271_263_460_818"),
                        n("227_887_136_083_559_712"),
                        tokens(1),
                        Fixtures.T0);
        PositionState p =
                new PositionState(
                        BigInteger.ZERO,
                        n("331_664_551_251"),
                        tokens(1),
                        BigInteger.ZERO,
                        BigInteger.ZERO);
        BigInteger price =
                n("607_444").multiply(BigInteger.TEN.pow(18)); // 1 token worth 607,444 base units
        PositionValuation v = Valuation.of(terms(), m, p, price);
        assertThat(v.debt()).isEqualTo(394_794);
        assertThat(Risk.maxDebt(v.collateralValue(), terms().maxLtv())).isEqualTo(394_838);
        assertThat(v.maxBorrowable()).isEqualTo(43);

        assertThat(
                        Previews.borrow(terms(), m, Fixtures.T0, p, price, BigInteger.valueOf(43))
                                .reverts())
                .isFalse();
        assertThat(
                        Previews.borrow(terms(), m, Fixtures.T0, p, price, BigInteger.valueOf(44))
                                .revert())
                .hasValueSatisfying(
                        r -> assertThat(r.toString()).isEqualTo("MaxLtvExceeded(394839, 394838)"));
    }

    @Test
    void maxLiquidationIncentiveIsMorphosBound() {
        // min(1.15, 1 / (1 − 0.3 × (1 − lltv))): the README's "lltv = 0.75 allows 1.0810…"
        assertThat(Risk.maxLiquidationIncentive(wad("0.75")))
                .isEqualTo(n("1_081_081_081_081_081_081"));
        assertThat(Risk.maxLiquidationIncentive(wad("0.80")))
                .isEqualTo(n("1_063_829_787_234_042_553"));
        assertThat(Risk.maxLiquidationIncentive(wad("0.50"))).as("capped").isEqualTo(wad("1.15"));
    }
}
