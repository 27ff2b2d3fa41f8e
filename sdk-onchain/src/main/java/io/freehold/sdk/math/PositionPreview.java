package io.freehold.sdk.math;

import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.onchain.ContractRevert;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * What an action would do to a position ({@link PositionMath}'s {@code preview…} methods): the
 * position after it, the amount and shares its event would carry, or the contract's refusal.
 *
 * <pre>{@code
 * PositionPreview p = math.previewBorrow(TokenAmount.parse("1000000000", 6));
 * if (p.reverts()) {
 *     System.out.println("the pool would refuse: " + p.revert().get());  // e.g. MaxLtvExceeded(debt=.., maxDebt=..)
 * } else {
 *     System.out.println("health after: " + p.after().healthFactor());
 * }
 * }</pre>
 *
 * @param revert the contract's error, as the chain would return it, if the action would revert
 * @param after the position after the action at the same moment and price; the position before when
 *     it would revert (a reverted transaction changes nothing)
 * @param assets the event's amount (for repay-all and withdraw-all, what the contract would
 *     compute); zero on a revert
 * @param shares borrow or supply shares minted or burned; zero for collateral and on a revert
 */
public record PositionPreview(
        Optional<ContractRevert> revert,
        PositionMath after,
        TokenAmount assets,
        BigInteger shares) {

    public PositionPreview {
        Objects.requireNonNull(revert, "revert");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(assets, "assets");
        Objects.requireNonNull(shares, "shares");
    }

    /** Whether the contract would refuse the action. */
    public boolean reverts() {
        return revert.isPresent();
    }
}
