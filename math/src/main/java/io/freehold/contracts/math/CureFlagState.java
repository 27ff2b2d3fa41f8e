package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * A position's cure flag: the pool's {@code CureFlag}, from its {@code cureFlag(id, borrower)} view
 * or rebuilt from {@code CureFlagged} / {@code CureFlagCleared} and the auction's start and end.
 *
 * @param flaggedAt unix seconds the window started; 0 when not flagged
 * @param appraisalSeq the oracle's {@code appraisalCount} the flag was last confirmed under
 * @param price the appraisal the flag was last confirmed under (PRICE_SCALE)
 * @param inAuction whether the position is locked in an auction
 */
public record CureFlagState(
        long flaggedAt, BigInteger appraisalSeq, BigInteger price, boolean inAuction) {

    /** A position never flagged and not in auction. */
    public static final CureFlagState NONE =
            new CureFlagState(0, BigInteger.ZERO, BigInteger.ZERO, false);

    public CureFlagState {
        if (flaggedAt < 0) {
            throw new IllegalArgumentException("flaggedAt is negative: " + flaggedAt);
        }
        Uint256.check(appraisalSeq, "appraisalSeq");
        Uint256.check(price, "price");
    }

    /** Whether the position has a flag (valid or not under today's appraisal). */
    public boolean isFlagged() {
        return flaggedAt != 0;
    }
}
