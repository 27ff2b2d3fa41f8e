package io.freehold.aave.local;

import static io.freehold.aave.local.SyntheticAaveMarket.PROPERTY;
import static io.freehold.aave.local.SyntheticAaveMarket.STABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveBookCodec;
import io.freehold.types.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The book's journal of changed accounts ({@link AaveBook#accountsChangedSince}): the accounts a
 * position, bit or eMode change touched since a mark, shared by copies; a mark of another history
 * (a copy that went on differently, a decoded book) or one older than the journal keeps is not
 * found, so that a reader looks at every account.
 */
class AaveBookJournalTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    @Test
    void theAccountsChangedSinceAMarkAreThoseALogTouched() {
        SyntheticAaveMarket m = new SyntheticAaveMarket();
        Address a = SyntheticAaveMarket.account(1);
        Address b = SyntheticAaveMarket.account(2);
        Address c = SyntheticAaveMarket.account(3);
        m.supply(a, PROPERTY, TOKEN);
        AaveBook.ChangeMark mark = m.book.changeMark();
        assertThat(m.book.accountsChangedSince(mark)).contains(java.util.Set.of());

        m.advance(12);
        m.supply(b, PROPERTY, TOKEN);
        m.borrow(a, STABLE, BigInteger.valueOf(1_000_000));
        m.setPrice(PROPERTY, BigInteger.valueOf(4_000_000_000L)); // no account touched
        assertThat(m.book.accountsChangedSince(mark)).contains(java.util.Set.of(a, b));

        // A copy shares the journal: the mark is in its history too.
        AaveBook copy = m.book.copy();
        assertThat(copy.accountsChangedSince(mark)).contains(java.util.Set.of(a, b));
        AaveBook.ChangeMark atCopy = copy.changeMark();

        // The book goes on with c; a copy taken back does not know c's change, and the newest
        // book's mark is not in the copy's history.
        m.advance(12);
        m.eMode(c, 1);
        assertThat(m.book.accountsChangedSince(atCopy)).contains(java.util.Set.of(c));
        assertThat(copy.accountsChangedSince(m.book.changeMark())).isEmpty();

        // A decoded book is another history.
        AaveBook decoded = AaveBookCodec.decode(AaveBookCodec.encode(m.book));
        assertThat(decoded.accountsChangedSince(m.book.changeMark())).isEmpty();
        assertThat(decoded.accountsChangedSince(decoded.changeMark())).contains(java.util.Set.of());
    }

    @Test
    void aMarkOlderThanTheJournalKeepsIsNotFound() {
        SyntheticAaveMarket m = new SyntheticAaveMarket();
        Address a = SyntheticAaveMarket.account(1);
        m.supply(a, PROPERTY, TOKEN);
        AaveBook.ChangeMark mark = m.book.changeMark();
        for (int i = 0; i < AaveBook.JOURNAL_LIMIT; i++) {
            m.collateral(a, PROPERTY, i % 2 == 0);
        }
        assertThat(m.book.accountsChangedSince(mark)).isEmpty();
    }
}
