package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.SyntheticAaveMarket;
import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveHealthIndex;
import io.freehold.types.Address;
import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * What the stream and the liquidator ask ({@link AaveUnhealthyAccounts#below}) on an in-memory
 * market: the same book asked twice is the same answer; a newer book, a book older than the one the
 * index was brought to (asked after it), and a second threshold each get a full scan's answer for
 * the book asked.
 */
class AaveUnhealthyAccountsTest {

    private static final BigInteger WAD = BigInteger.TEN.pow(18);
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    @Test
    void eachAnswerIsAScansForTheBookAsked() {
        SyntheticAaveMarket m = new SyntheticAaveMarket();
        for (int i = 0; i < 40; i++) {
            Address a = SyntheticAaveMarket.account(i);
            m.supply(a, SyntheticAaveMarket.PROPERTY, TOKEN.multiply(BigInteger.valueOf(100)));
            BigInteger available = m.book.accountData(a, m.time()).availableBorrowsBase();
            // 60–99 % of the borrowing power, in the stablecoin (6 decimals, $1.00).
            m.borrow(
                    a,
                    SyntheticAaveMarket.STABLE,
                    available
                            .multiply(BigInteger.valueOf(60 + i))
                            .divide(BigInteger.valueOf(10_000)));
        }
        AaveUnhealthyAccounts unhealthy = new AaveUnhealthyAccounts();
        AppliedAaveBook first = applied(m, 10);
        assertThat(unhealthy.below(first, WAD)).isEqualTo(scan(first, WAD)).isEmpty();
        assertThat(unhealthy.below(first, WAD)).isSameAs(unhealthy.below(first, WAD));

        m.advance(12);
        m.setPrice(SyntheticAaveMarket.PROPERTY, BigInteger.valueOf(4_700_000_000L)); // −10 %
        AppliedAaveBook second = applied(m, 11);
        assertThat(unhealthy.below(second, WAD)).isEqualTo(scan(second, WAD)).isNotEmpty();

        // Asked about the older book now: a scan's answer for it.
        assertThat(unhealthy.below(first, WAD)).isEqualTo(scan(first, WAD)).isEmpty();

        m.advance(12);
        m.setPrice(SyntheticAaveMarket.PROPERTY, BigInteger.valueOf(4_400_000_000L));
        AppliedAaveBook third = applied(m, 12);
        BigInteger warning = WAD.add(WAD.divide(BigInteger.TEN));
        assertThat(unhealthy.below(third, WAD)).isEqualTo(scan(third, WAD));
        assertThat(unhealthy.below(third, warning))
                .isEqualTo(scan(third, warning))
                .hasSizeGreaterThan(scan(third, WAD).size());
    }

    private static AppliedAaveBook applied(SyntheticAaveMarket m, long number) {
        AaveBook copy = m.book.copy();
        return new AppliedAaveBook(
                new BlockHeader(
                        number,
                        BlockHash.of(String.format("0x%064x", number)),
                        BlockHash.of(String.format("0x%064x", number - 1)),
                        m.time()),
                copy);
    }

    private static java.util.Map<Address, io.freehold.contracts.math.aave.AccountData> scan(
            AppliedAaveBook applied, BigInteger threshold) {
        return AaveHealthIndex.scan(applied.book(), applied.block().timestamp(), threshold);
    }
}
