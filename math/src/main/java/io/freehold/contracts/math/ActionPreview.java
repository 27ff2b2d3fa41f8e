package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Optional;

/**
 * What a borrower's or lender's transaction would do ({@link Previews}): the state after it and the
 * numbers of its events, or why it would revert.
 *
 * <p>A reverted transaction changes nothing, not even the accrual: when {@link #revert()} is
 * present, {@code market}, {@code position} and {@code rent} are the inputs and the amounts are
 * zero.
 *
 * @param revert the contract's custom error, if the transaction would revert
 * @param accrual the accrual the action made when it emitted {@code AccrueInterest}; empty when no
 *     time elapsed, for actions that do not accrue ({@code supplyCollateral}, {@code claimRent})
 *     and on a revert
 * @param market the market after the action (stored form: accrued to the action's timestamp when it
 *     accrues)
 * @param position the position after the action (stored form)
 * @param rent the pool's rent bookkeeping for the collateral token after the action, when it was
 *     given
 * @param assets the event's amount: supplied, withdrawn, borrowed, repaid, collateral moved or rent
 *     claimed
 * @param shares the event's shares: minted or burned; zero for collateral and rent
 * @param rentPulled rent the pool claimed from the property token first ({@code RentPulled} when
 *     above 0)
 */
public record ActionPreview(
        Optional<Revert<ActionRevert>> revert,
        Optional<Accrual> accrual,
        MarketState market,
        PositionState position,
        Optional<PoolRent> rent,
        BigInteger assets,
        BigInteger shares,
        BigInteger rentPulled) {

    public ActionPreview {
        if (revert == null
                || accrual == null
                || market == null
                || position == null
                || rent == null) {
            throw new IllegalArgumentException(
                    "no component of a preview may be null; use Optional.empty()");
        }
        Uint256.check(assets, "assets");
        Uint256.check(shares, "shares");
        Uint256.check(rentPulled, "rentPulled");
    }

    static ActionPreview reverted(
            Revert<ActionRevert> revert,
            MarketState market,
            PositionState position,
            Optional<PoolRent> rent) {
        return new ActionPreview(
                Optional.of(revert),
                Optional.empty(),
                market,
                position,
                rent,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO);
    }

    /** Whether the transaction would revert. */
    public boolean reverts() {
        return revert.isPresent();
    }

    /** The revert's reason, if it would revert. */
    public Optional<ActionRevert> revertReason() {
        return revert.map(Revert::reason);
    }
}
