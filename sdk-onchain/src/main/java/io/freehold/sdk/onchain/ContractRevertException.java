package io.freehold.sdk.onchain;

import io.freehold.contracts.bindings.ContractError;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The contract refused the action, with the reason decoded ({@link #revert()}): either the
 * preflight {@code eth_call} reverted and nothing was sent (no gas spent), or the transaction was
 * mined and reverted (then {@link #transactionHash()}, {@link #blockNumber()} and {@link
 * #gasUsed()} say where and at what cost).
 *
 * <p>{@link #reasonName()} is the Solidity error's name (e.g. {@code MaxLtvExceeded}) and {@link
 * #metadata()} its arguments by parameter name, as decimal or 0x-hex text; {@link #reason()} is
 * {@link io.freehold.sdk.ErrorReason#UNKNOWN}, since these are the contract's reasons, not the
 * node's.
 *
 * <pre>{@code
 * try {
 *     pool.borrow(marketId, TokenAmount.parse("20000000000", 6));
 * } catch (ContractRevertException e) {
 *     switch (e.revert().error()) {
 *         case MAX_LTV_EXCEEDED -> System.out.println("at most " + e.revert().uint("maxDebt") + " in debt");
 *         case STALE_PRICE -> System.out.println("appraisal from " + e.revert().uint("updatedAt") + " is stale");
 *         default -> throw e;
 *     }
 * }
 * }</pre>
 */
public final class ContractRevertException extends OnchainException {

    private static final long serialVersionUID = 1L;

    /** When the revert was found. */
    public enum Stage {
        /** The preflight {@code eth_call} (or the gas estimate) reverted; nothing was sent. */
        PREFLIGHT,
        /** The transaction was mined and reverted; its gas is spent. */
        MINED
    }

    private final transient ContractRevert revert;
    private final Stage stage;
    private final String transactionHash;
    private final OptionalLong blockNumber;
    private final BigInteger gasUsed;

    ContractRevertException(
            String action,
            ContractRevert revert,
            Stage stage,
            String transactionHash,
            OptionalLong blockNumber,
            BigInteger gasUsed) {
        super(
                message(action, revert, stage, transactionHash),
                revert.name(),
                metadata(revert),
                null);
        this.revert = Objects.requireNonNull(revert, "revert");
        this.stage = Objects.requireNonNull(stage, "stage");
        this.transactionHash = transactionHash;
        this.blockNumber = blockNumber;
        this.gasUsed = gasUsed;
    }

    static ContractRevertException preflight(String action, ContractRevert revert) {
        return new ContractRevertException(
                action, revert, Stage.PREFLIGHT, null, OptionalLong.empty(), null);
    }

    static ContractRevertException mined(
            String action, ContractRevert revert, String hash, long block, BigInteger gasUsed) {
        return new ContractRevertException(
                action, revert, Stage.MINED, hash, OptionalLong.of(block), gasUsed);
    }

    /** The decoded error and its arguments. */
    public ContractRevert revert() {
        return revert;
    }

    public Stage stage() {
        return stage;
    }

    /** Whether a transaction was mined (and its gas spent). */
    public boolean mined() {
        return stage == Stage.MINED;
    }

    /** The reverted transaction's hash, 0x-hex; empty for a preflight revert. */
    public Optional<String> transactionHash() {
        return Optional.ofNullable(transactionHash);
    }

    /** The block the reverted transaction was mined in; empty for a preflight revert. */
    public OptionalLong blockNumber() {
        return blockNumber;
    }

    /** Gas the reverted transaction used; empty for a preflight revert. */
    public Optional<BigInteger> gasUsed() {
        return Optional.ofNullable(gasUsed);
    }

    private static String message(String action, ContractRevert revert, Stage stage, String hash) {
        return stage == Stage.PREFLIGHT
                ? action + " would revert with " + revert + " (preflight eth_call; nothing sent)"
                : action + " reverted with " + revert + " in transaction " + hash;
    }

    private static Map<String, String> metadata(ContractRevert revert) {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<String> names = revert.error().parameterNames();
        for (int i = 0; i < revert.arguments().size(); i++) {
            metadata.put(names.get(i), String.valueOf(revert.arguments().get(i)));
        }
        if (revert.error() == ContractError.UNKNOWN) {
            metadata.put("data", revert.data());
        }
        return metadata;
    }
}
