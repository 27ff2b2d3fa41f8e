package io.freehold.node.liquidation.decide;

import io.freehold.node.liquidation.attempts.AttemptKind;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What preflight decided about one candidate: a plan to send, or the reason not to.
 *
 * @param block the block the checks were pinned to
 * @param skipReason why not, when refused
 * @param message the reason in words, with the numbers and addresses that explain it
 * @param kind what was (or would have been) sent: a liquidation or one of the keeper's calls
 * @param refusedUntil for a refusal that ends at a known chain time (a cure window, an auction's
 *     run), that time in unix seconds: the executor looks again then rather than after its whole
 *     cooldown; empty for the others
 */
public record PreflightResult(
        LiquidationCandidate candidate,
        long block,
        Optional<LiquidationPlan> plan,
        Optional<SkipReason> skipReason,
        String message,
        AttemptKind kind,
        OptionalLong refusedUntil) {

    public PreflightResult {
        Objects.requireNonNull(candidate, "candidate");
        if (plan.isPresent() == skipReason.isPresent()) {
            throw new IllegalArgumentException(
                    "a preflight result is either a plan or a skip reason");
        }
    }

    static PreflightResult pass(LiquidationPlan plan) {
        return new PreflightResult(
                plan.candidate(),
                plan.block(),
                Optional.of(plan),
                Optional.empty(),
                "would " + plan,
                plan.kind(),
                OptionalLong.empty());
    }

    static PreflightResult skip(
            LiquidationCandidate candidate, long block, SkipReason reason, String message) {
        return skip(candidate, block, reason, message, AttemptKind.LIQUIDATE);
    }

    static PreflightResult skip(
            LiquidationCandidate candidate,
            long block,
            SkipReason reason,
            String message,
            AttemptKind kind) {
        return new PreflightResult(
                candidate,
                block,
                Optional.empty(),
                Optional.of(reason),
                message,
                kind,
                OptionalLong.empty());
    }

    /** {@link #skip} for a refusal that ends at chain time {@code until} (unix seconds). */
    static PreflightResult skipUntil(
            LiquidationCandidate candidate,
            long block,
            SkipReason reason,
            String message,
            AttemptKind kind,
            long until) {
        return new PreflightResult(
                candidate,
                block,
                Optional.empty(),
                Optional.of(reason),
                message,
                kind,
                OptionalLong.of(until));
    }

    public boolean passed() {
        return plan.isPresent();
    }

    @Override
    public String toString() {
        return candidate.position()
                + " at block "
                + block
                + ": "
                + skipReason.map(r -> "skip " + r + ": " + message).orElse(message);
    }
}
