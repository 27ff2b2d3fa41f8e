package io.freehold.contracts.math;

import static io.freehold.contracts.math.FixedPoint.WAD;

import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * The pool's cure-window rule ({@code _flagHolds}, {@code _cureDeadline}, {@code flag}): when an
 * unhealthy position may be liquidated (fixed-incentive markets) or put to auction (auction
 * markets).
 *
 * <pre>
 *   no window, or health &lt; hardFloorHealth      → open now
 *   a flag that holds                           → open from flaggedAt + cureWindow
 *   otherwise                                   → closed until someone flags it (a new window)
 *   a flag holds under the appraisal it was last confirmed under (appraisalCount == seq), or under
 *   the next one (seq + 1) when that one's price is no higher than the flag's
 * </pre>
 *
 * <p>Every action that leaves a flagged position healthy clears its flag; a flag over an appraisal
 * that may have made the position healthy (a higher one, or two appraisals later) does not hold, so
 * a later dip always gets a whole window.
 */
public final class CureWindow {

    private CureWindow() {}

    /** Whether {@code flag} holds under the appraisal numbered {@code seq} at {@code price}. */
    public static boolean flagHolds(CureFlagState flag, BigInteger seq, BigInteger price) {
        if (!flag.isFlagged()) {
            return false;
        }
        return flag.appraisalSeq().equals(seq)
                || (flag.appraisalSeq().add(BigInteger.ONE).equals(seq)
                        && price.compareTo(flag.price()) <= 0);
    }

    /**
     * From when an unhealthy position with health factor {@code healthFactor} may be liquidated or
     * put to auction: 0 for at once, the end of its window, or empty when it needs a (new) flag.
     *
     * @param seq the oracle's {@code appraisalCount} of the collateral now
     * @param price the latest appraisal
     */
    public static OptionalLong openFrom(
            LiquidationTerms terms,
            CureFlagState flag,
            BigInteger healthFactor,
            BigInteger seq,
            BigInteger price) {
        if (!terms.hasCureWindow() || healthFactor.compareTo(terms.hardFloorHealth()) < 0) {
            return OptionalLong.of(0);
        }
        if (!flagHolds(flag, seq, price)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.addExact(flag.flaggedAt(), terms.cureWindowSeconds()));
    }

    /**
     * Whether {@code liquidate} (or the auction's {@code start}) accepts the position at {@code
     * now} as far as health and the window go (the pool's {@code isLiquidatable} also wants a fresh
     * price and the token not paused).
     */
    public static boolean isOpen(
            LiquidationTerms terms,
            CureFlagState flag,
            BigInteger healthFactor,
            BigInteger seq,
            BigInteger price,
            long now) {
        if (healthFactor.compareTo(WAD) >= 0 || flag.inAuction()) {
            return false;
        }
        OptionalLong from = openFrom(terms, flag, healthFactor, seq, price);
        return from.isPresent() && now >= from.getAsLong();
    }

    /**
     * The flag after a successful {@code flag(id, borrower)} at {@code now}: a flag that holds
     * keeps its start, any other starts a window now; both are confirmed under {@code seq} and
     * {@code price} (what its {@code CureFlagged} event carries).
     */
    public static CureFlagState flag(
            CureFlagState flag, BigInteger seq, BigInteger price, long now) {
        long flaggedAt = flagHolds(flag, seq, price) ? flag.flaggedAt() : now;
        return new CureFlagState(flaggedAt, seq, price, flag.inAuction());
    }
}
