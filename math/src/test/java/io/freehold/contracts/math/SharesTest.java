package io.freehold.contracts.math;

import static io.freehold.contracts.math.Fixtures.MAX;
import static io.freehold.contracts.math.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SharesTest {

    @Test
    void aFreshMarketMintsOneMillionSharesPerAsset() {
        // 1,000 mUSD × (0 + 1e6) / (0 + 1)
        assertThat(Shares.toSharesDown(usd(1_000), BigInteger.ZERO, BigInteger.ZERO))
                .isEqualTo(usd(1_000).multiply(Shares.VIRTUAL_SHARES));
        // and back: 1e15 × (1e9 + 1) / (1e15 + 1e6) = 1e9 exactly
        BigInteger shares = BigInteger.TEN.pow(15);
        assertThat(Shares.toAssetsDown(shares, usd(1_000), shares)).isEqualTo(usd(1_000));
        assertThat(Shares.toAssetsUp(shares, usd(1_000), shares)).isEqualTo(usd(1_000));
    }

    @Test
    void roundingIsTheCallersChoice() {
        // After interest: 1,050,000 assets behind 1e12 shares. One asset is (1e12 + 1e6) /
        // 1,050,001
        // = 952,380.04… shares.
        BigInteger assets = BigInteger.valueOf(1_050_000);
        BigInteger shares = BigInteger.TEN.pow(12);
        assertThat(Shares.toSharesDown(BigInteger.ONE, assets, shares)).isEqualTo(952_380);
        assertThat(Shares.toSharesUp(BigInteger.ONE, assets, shares)).isEqualTo(952_381);
        // 952,380 shares are worth 0.99999… assets: a lender gets 0, a borrower owes 1.
        assertThat(Shares.toAssetsDown(BigInteger.valueOf(952_380), assets, shares)).isZero();
        assertThat(Shares.toAssetsUp(BigInteger.valueOf(952_380), assets, shares)).isEqualTo(1);
    }

    @Test
    void theVirtualAdditionsAreCheckedLikeSolidity() {
        assertThatThrownBy(() -> Shares.toSharesDown(BigInteger.ONE, BigInteger.ZERO, MAX))
                .isInstanceOf(SolidityPanic.class)
                .hasMessageContaining("totalShares + VIRTUAL_SHARES");
        assertThatThrownBy(() -> Shares.toAssetsUp(BigInteger.ONE, MAX, BigInteger.ZERO))
                .isInstanceOf(SolidityPanic.class)
                .hasMessageContaining("totalAssets + VIRTUAL_ASSETS");
    }

    @Test
    void refusesNegativeAmounts() {
        assertThatThrownBy(
                        () ->
                                Shares.toSharesUp(
                                        BigInteger.valueOf(-5), BigInteger.ONE, BigInteger.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
