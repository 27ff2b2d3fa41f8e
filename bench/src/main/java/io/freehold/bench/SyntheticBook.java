package io.freehold.bench;

import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.risk.MarketConditions;
import io.freehold.node.state.PositionRecord;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Borrowers of one market made up in bulk, shaped like a real book: collateral from 1 to 1,000
 * property tokens (with odd base units), LTVs spread over 5 %–70 % with 1 % of positions close to
 * the 75 % liquidation LTV, at the local system's Detroit appraisal ($52.40) and a borrow index of
 * 1.02. Seeded, so every run values the same book.
 */
final class SyntheticBook {

    static final BigInteger WAD = BigInteger.TEN.pow(18);
    static final BigInteger LLTV = new BigInteger("750000000000000000");

    /**
     * $52.40 per token, in the oracle's scale (loan base units per collateral base unit × 1e36).
     */
    static final BigInteger PRICE = LocalSystem.priceOfCents(5_240);

    /** A borrow index of about 1.02: 102 M mUSD owed on 100 M × 1e6 shares. */
    static final BigInteger TOTAL_BORROW_ASSETS =
            BigInteger.valueOf(102_000_000L).multiply(LocalSystem.USD);

    static final BigInteger TOTAL_BORROW_SHARES =
            BigInteger.valueOf(100_000_000L)
                    .multiply(LocalSystem.USD)
                    .multiply(BigInteger.valueOf(1_000_000));

    /** One borrower: shares and collateral in base units. */
    record Borrower(Address account, BigInteger borrowShares, BigInteger collateral) {}

    private SyntheticBook() {}

    static MarketConditions conditions(BigInteger price) {
        return new MarketConditions(price, TOTAL_BORROW_ASSETS, TOTAL_BORROW_SHARES);
    }

    /** The appraisal after a drop of {@code bps} basis points. */
    static BigInteger priceAfterDrop(int bps) {
        return PRICE.multiply(BigInteger.valueOf(10_000 - bps)).divide(BigInteger.valueOf(10_000));
    }

    static Address account(long marketIndex, long n) {
        return Address.of(String.format("0x%08x%032x", 0xB0000000L + marketIndex, n));
    }

    static MarketId marketId(long n) {
        return MarketId.of(String.format("0x%064x", 0xFEED0000L + n));
    }

    /**
     * {@code n} borrowers of market {@code marketIndex}, handed one at a time (a million need not
     * sit in a list).
     */
    static void borrowers(int marketIndex, int n, long seed, Consumer<Borrower> sink) {
        Random random = new Random(seed * 31 + marketIndex);
        for (int i = 0; i < n; i++) {
            BigInteger collateral =
                    LocalSystem.TOKEN
                            .multiply(BigInteger.valueOf(1 + random.nextInt(1_000)))
                            .add(BigInteger.valueOf(random.nextInt(1_000_000_000)));
            double ltv =
                    random.nextInt(100) == 0
                            ? 0.70 + 0.0499 * random.nextDouble()
                            : 0.05 + 0.65 * random.nextDouble();
            // debt = ltv × collateral × price / 1e36; shares = debt × (shares + 1e6) / (assets + 1)
            BigInteger debt =
                    collateral
                            .multiply(PRICE)
                            .divide(BigInteger.TEN.pow(36))
                            .multiply(BigInteger.valueOf((long) (ltv * 1e9)))
                            .divide(BigInteger.valueOf(1_000_000_000));
            BigInteger shares =
                    debt.multiply(TOTAL_BORROW_SHARES.add(BigInteger.valueOf(1_000_000)))
                            .divide(TOTAL_BORROW_ASSETS.add(BigInteger.ONE));
            sink.accept(
                    new Borrower(account(marketIndex, i), shares.max(BigInteger.ONE), collateral));
        }
    }

    static List<Borrower> borrowers(int marketIndex, int n, long seed) {
        List<Borrower> all = new ArrayList<>(n);
        borrowers(marketIndex, n, seed, all::add);
        return all;
    }

    static PositionRecord record(MarketId market, Borrower b) {
        return new PositionRecord(
                market,
                b.account(),
                BigInteger.ZERO,
                b.borrowShares(),
                b.collateral(),
                BigInteger.ZERO,
                BigInteger.ZERO);
    }
}
