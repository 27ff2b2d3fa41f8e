package io.freehold.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the pool would act on a liquidatable position now, and why not: its cure window and its
 * auction. Real estate is appraised in steps, so a market may give a borrower a window after a
 * keeper flags the position, in which only the borrower can act (unless its health is under the
 * market's hard floor); an auction market sells collateral through its Dutch auction instead of a
 * fixed-incentive {@code liquidate}.
 *
 * @param cureFlaggedAt when a keeper flagged the position (the pool's {@code cureFlag} view); empty
 *     when it is not flagged
 * @param cureWindowEndsAt when its window ends; empty when no window is running (no flag, a flag a
 *     newer appraisal voided, or a market without a window)
 * @param inAuction the position is locked in its market's auction (only takes change it)
 * @param actionable the pool accepts it now (its {@code isLiquidatable}): {@code liquidate} on a
 *     fixed-incentive market, the auction's {@code start} on an auction market
 * @param auction the active auction, if any
 */
public record Actionability(
        Optional<Instant> cureFlaggedAt,
        Optional<Instant> cureWindowEndsAt,
        boolean inAuction,
        boolean actionable,
        Optional<Auction> auction) {

    /**
     * What a node that does not report it means: no flag, no auction; {@code actionable} left false
     * (read {@link Position#healthFactor()} on such a node).
     */
    public static final Actionability UNKNOWN =
            new Actionability(Optional.empty(), Optional.empty(), false, false, Optional.empty());

    public Actionability {
        Objects.requireNonNull(cureFlaggedAt, "cureFlaggedAt");
        Objects.requireNonNull(cureWindowEndsAt, "cureWindowEndsAt");
        Objects.requireNonNull(auction, "auction");
    }
}
