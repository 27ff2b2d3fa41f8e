package io.freehold.contracts.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The wrappers' structs become the math's types field for field (moved here from the math's tests).
 */
class PoolStructsTest {

    private static final long T0 = 1_767_225_600L;

    @Test
    void readsTheWrappersStruct() {
        LendingPool.Market chain =
                new LendingPool.Market(
                        BigInteger.valueOf(5),
                        BigInteger.valueOf(6),
                        BigInteger.valueOf(3),
                        BigInteger.valueOf(4),
                        BigInteger.valueOf(7),
                        BigInteger.valueOf(T0));
        assertThat(PoolStructs.market(chain))
                .isEqualTo(
                        new MarketState(
                                BigInteger.valueOf(5),
                                BigInteger.valueOf(6),
                                BigInteger.valueOf(3),
                                BigInteger.valueOf(4),
                                BigInteger.valueOf(7),
                                T0));
        assertThat(MarketState.created(T0))
                .isEqualTo(
                        new MarketState(
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                T0));
    }

    @Test
    void readsTheWrappersParamsWithLowerCaseAddresses() {
        LendingPool.MarketParams params =
                new LendingPool.MarketParams(
                        "0x00000000000000000000000000000000000000AA",
                        "0x00000000000000000000000000000000000000bb",
                        "0x00000000000000000000000000000000000000cC",
                        BigInteger.valueOf(1),
                        BigInteger.valueOf(2),
                        BigInteger.valueOf(3),
                        BigInteger.valueOf(4),
                        BigInteger.valueOf(5),
                        BigInteger.valueOf(6),
                        BigInteger.valueOf(7),
                        BigInteger.valueOf(8),
                        BigInteger.ZERO,
                        BigInteger.valueOf(10));
        MarketTerms terms = PoolStructs.terms(params);
        assertThat(terms.collateralToken().hex())
                .isEqualTo("0x00000000000000000000000000000000000000aa");
        assertThat(terms.oracle().hex()).isEqualTo("0x00000000000000000000000000000000000000cc");
        assertThat(terms.lltv()).isEqualTo(1);
        assertThat(terms.kinkUtilization()).isEqualTo(7);
        assertThat(terms.supplyCap()).isEqualTo(8);
        assertThat(terms.hasSupplyCap()).isTrue();
        assertThat(terms.hasBorrowCap()).isFalse();
        assertThat(terms.minLeftoverDebt()).isEqualTo(10);
    }
}
