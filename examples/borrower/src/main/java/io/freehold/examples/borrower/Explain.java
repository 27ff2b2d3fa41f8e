package io.freehold.examples.borrower;

import io.freehold.examples.common.Format;
import io.freehold.sdk.onchain.ContractRevert;
import java.time.Instant;

/** The contract's refusals in a borrower's words, with what to do next. */
final class Explain {

    private Explain() {}

    static String revert(ContractRevert r, String property) {
        return switch (r.name()) {
            case "StalePrice" ->
                    "The appraisal of "
                            + property
                            + " is stale (last updated "
                            + Instant.ofEpochSecond(r.uint("updatedAt").longValueExact())
                            + "). Borrowing and withdrawing"
                            + " collateral wait for a fresh appraisal; repaying works. Ask the property's appraiser, or try"
                            + " again later.";
            case "NotVerified" ->
                    "Your address "
                            + r.address("account")
                            + " is not verified by the identity"
                            + " registry, so it may not hold "
                            + property
                            + " tokens. Ask the issuer's agent to verify it.";
            case "OwnerNotAllowed" ->
                    "Your address "
                            + r.address("owner")
                            + " is not verified by the identity"
                            + " registry or is frozen in "
                            + property
                            + ", and the pool acts only for an allowed owner. Ask the"
                            + " issuer's agent to verify (or unfreeze) it.";
            case "AccountFrozen" ->
                    "Your address is frozen in "
                            + property
                            + " by the issuer's agent; it cannot move"
                            + " these tokens until unfrozen.";
            case "TokenPaused", "CollateralPaused" ->
                    property
                            + " tokens are paused by the issuer; nothing can move"
                            + " them until the pause ends.";
            case "MaxLtvExceeded" ->
                    "That would put your debt at "
                            + Format.dollars(r.uint("debt"))
                            + ", above the "
                            + Format.dollars(r.uint("maxDebt"))
                            + " your collateral allows. Borrow less (see: status) or"
                            + " lock more tokens.";
            case "InsufficientCollateral" ->
                    "You have only " + Format.tokens(r.uint("owned")) + " locked.";
            case "RepayExceedsDebt" ->
                    "You owe only "
                            + Format.dollars(r.uint("debt"))
                            + "; use: repay "
                            + property
                            + " all.";
            case "InsufficientLiquidity" ->
                    "The market has only "
                            + Format.dollars(r.uint("available"))
                            + " to lend right now.";
            case "HealthWouldWorsen", "MustNotLeaveDust" ->
                    "The pool refuses: " + r + ". Repay first, or withdraw less.";
            case "ERC20InsufficientBalance" -> "Your wallet holds too little: " + r + ".";
            case "ZeroAmount" ->
                    "Nothing to do: the amount is zero. For repay-with-rent: no rent has reached your"
                            + " locked "
                            + property
                            + " tokens since you last claimed or repaid with it, or you owe nothing"
                            + " (see: status).";
            case "RentNotInLoanToken" ->
                    property
                            + " pays its rent in "
                            + r.address("rentToken")
                            + ", not in the"
                            + " market's loan token "
                            + r.address("loanToken")
                            + ", so it cannot repay the debt; claim it"
                            + " instead (FreeholdPool.claimRent).";
            default -> "The pool refused: " + r + ".";
        };
    }
}
