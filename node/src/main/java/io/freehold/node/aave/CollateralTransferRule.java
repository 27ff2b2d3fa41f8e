package io.freehold.node.aave;

import io.freehold.contracts.bindings.TokenViews;
import io.freehold.contracts.bindings.ViewCall;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.types.Address;
import java.util.Optional;

/**
 * A permissioned collateral's own transfer rule, asked before a {@code liquidationCall} is
 * simulated: a property token that moves only between verified, unfrozen holders would make the
 * pool's simulation revert with nothing but the token's error; this says which rule and who.
 *
 * <p><b>What counts as permissioned</b> (docs/AAVE.md): a collateral asset that answers {@code
 * canReceive(address) returns (bool)} — the compliance view of Freehold's property token ({@code
 * IPropertyToken}: not paused, the account not frozen and verified in the token's identity
 * registry). It is detected by asking: a token without the view (the call reverts, or its answer is
 * not one ABI word, as from a plain ERC-20 or an address without code) has no rule here, and the
 * simulation stays the only check. With {@code receiveAToken=false} (the node's call) the
 * underlying moves from the reserve's aToken to the liquidator, so both are asked: the liquidator
 * as receiver and the aToken as sender (a property token checks the sender as it checks a
 * receiver). The explanation ({@code paused()}, {@code identityRegistry()} and its {@code
 * isVerified}, {@code isFrozen}) is read only after a refusal, each view optional.
 *
 * <p>Every read is at the preflight's block, from the liquidator's address.
 */
final class CollateralTransferRule {

    /** Why the collateral cannot move: the skip reason and a sentence naming the token and who. */
    record Refusal(SkipReason reason, String message) {}

    private final LiquidatorRpc rpc;
    private final Address caller;

    CollateralTransferRule(LiquidatorRpc rpc, Address caller) {
        this.rpc = rpc;
        this.caller = caller;
    }

    /**
     * Whether {@code token} lets {@code from} (the aToken holding it) hand it to {@code to} (the
     * liquidator) at {@code block}.
     *
     * @return empty when it does, or when the token has no such rule
     */
    Optional<Refusal> refusal(Address token, Address from, Address to, long block) {
        Optional<Boolean> receives = ask(token, TokenViews.canReceive(to), block);
        if (receives.isEmpty()) {
            return Optional.empty(); // no compliance view: not a permissioned collateral
        }
        if (!receives.get()) {
            return Optional.of(why(token, to, "the liquidator", "receive it", block));
        }
        if (ask(token, TokenViews.canReceive(from), block).orElse(true)) {
            return Optional.empty();
        }
        return Optional.of(why(token, from, "the reserve's aToken", "hand it over", block));
    }

    private Refusal why(Address token, Address account, String who, String act, long block) {
        if (ask(token, TokenViews.paused(), block).orElse(false)) {
            return new Refusal(
                    SkipReason.COLLATERAL_PAUSED,
                    "collateral "
                            + token
                            + " is paused: none of it moves, so the pool's liquidationCall"
                            + " would revert (block "
                            + block
                            + ")");
        }
        Optional<Address> registry = ask(token, TokenViews.identityRegistry(), block);
        boolean unverified =
                registry.flatMap(r -> ask(r, TokenViews.isVerified(account), block))
                        .map(v -> !v)
                        .orElse(false);
        boolean frozen = ask(token, TokenViews.isFrozen(account), block).orElse(false);
        StringBuilder text = new StringBuilder(who).append(' ').append(account);
        if (unverified) {
            text.append(" is not a verified holder of ")
                    .append(token)
                    .append(" (identity registry ")
                    .append(registry.get())
                    .append(')');
        }
        if (frozen) {
            text.append(unverified ? " and" : "").append(" is frozen in ").append(token);
        }
        if (!unverified && !frozen) {
            text.append(" may not hold ").append(token).append(" (its canReceive answers false)");
        }
        return new Refusal(
                SkipReason.RECEIVER_NOT_ALLOWED,
                text.append(", so it cannot ")
                        .append(act)
                        .append(": the collateral's transfer rule refuses the liquidationCall")
                        .append(" at block ")
                        .append(block)
                        .toString());
    }

    /** A view's answer, or empty when the contract does not answer it (reverts, or no word). */
    private <T> Optional<T> ask(Address contract, ViewCall<T> view, long block) {
        LiquidatorRpc.CallResult result = rpc.call(caller, contract, view.data(), block);
        if (result.reverted()) {
            return Optional.empty();
        }
        try {
            return Optional.of(view.decode(result.returnData()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
