package io.freehold.contracts.math;

import static io.freehold.contracts.math.Fixtures.n;
import static io.freehold.contracts.math.Fixtures.tokens;
import static io.freehold.contracts.math.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RentTest {

    private static PositionState holding(BigInteger collateral, BigInteger indexPaid) {
        return new PositionState(
                BigInteger.ZERO, BigInteger.ZERO, collateral, indexPaid, BigInteger.ZERO);
    }

    @Test
    void aPullSpreadsWhatTheTokenOwesOverTheLockedCollateral() {
        // 1,000 mUSD over 3 tokens: 1e9 × 1e36 / 3e18 = 333,333,333,333,333,333,333,333,333 per
        // token base unit.
        Rent.Pull pull = Rent.pull(new PoolRent(BigInteger.ZERO, tokens(3), usd(1_000)));
        assertThat(pull.amount()).isEqualTo(usd(1_000));
        assertThat(pull.emitsEvent()).isTrue();
        assertThat(pull.rent())
                .isEqualTo(
                        new PoolRent(
                                n("333_333_333_333_333_333_333_333_333"),
                                tokens(3),
                                BigInteger.ZERO));
        // Each of three 1-token positions gets ⌊1e18 × index / 1e36⌋ = 333,333,333: the pool keeps
        // 1 as dust.
        PositionState settled =
                Rent.settle(holding(tokens(1), BigInteger.ZERO), pull.rent().index());
        assertThat(settled.rentAccrued()).isEqualTo(333_333_333);
        assertThat(settled.rentIndexPaid()).isEqualTo(pull.rent().index());
    }

    @Test
    void nothingToPullWithoutCollateralOrRent() {
        PoolRent idle = new PoolRent(BigInteger.TEN, BigInteger.ZERO, usd(5));
        assertThat(Rent.pull(idle)).isEqualTo(new Rent.Pull(idle, BigInteger.ZERO));
        PoolRent owedNothing = new PoolRent(BigInteger.TEN, tokens(1), BigInteger.ZERO);
        assertThat(Rent.pull(owedNothing).emitsEvent()).isFalse();
        assertThat(Rent.pull(owedNothing).rent()).isEqualTo(owedNothing);
    }

    @Test
    void claimableIsWhatAPullThenASettleWouldCredit() {
        PoolRent rent = new PoolRent(n("1_000_000_000_000_000_000_000"), tokens(8), usd(40));
        PositionState p =
                new PositionState(
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        tokens(2),
                        BigInteger.ZERO,
                        BigInteger.valueOf(7));
        BigInteger claimable = Rent.claimable(rent, p);
        // 7 + 2e18 × (1e21 + 4e7 × 1e36 / 8e18) / 1e36 = 7 + 2,000 + 10,000,000
        assertThat(claimable).isEqualTo(10_002_007);
        assertThat(Rent.settle(p, Rent.pull(rent).rent().index()).rentAccrued())
                .isEqualTo(claimable);
    }

    @Test
    void theTokensHolderAccounting() {
        // balance 400 tokens, accumulator grew by 4e26 since the holder last settled, 7 owed
        // already:
        // 7 + 400e18 × 4e26 / 1e36 = 7 + 160,000e6
        assertThat(
                        Rent.holderClaimable(
                                tokens(400),
                                n("500_000_000_000_000_000_000_000_000"),
                                n("100_000_000_000_000_000_000_000_000"),
                                BigInteger.valueOf(7)))
                .isEqualTo(usd(160_000).add(BigInteger.valueOf(7)));
        // depositRent(1,000 mUSD) over 10,000 tokens: + 1e9 × 1e36 / 1e22 = 1e23
        assertThat(Rent.rentPerTokenAfterDeposit(BigInteger.ZERO, usd(1_000), tokens(10_000)))
                .isEqualTo(BigInteger.TEN.pow(23));
    }

    @Test
    void anIndexBelowWhatWasPaidIsAnUnderflowAsOnChain() {
        assertThatThrownBy(() -> Rent.settle(holding(tokens(1), BigInteger.TEN), BigInteger.ONE))
                .isInstanceOf(SolidityPanic.class)
                .hasMessageContaining("index - rentIndexPaid");
    }
}
