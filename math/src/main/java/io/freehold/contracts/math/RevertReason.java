package io.freehold.contracts.math;

import io.freehold.types.Hex;
import io.freehold.types.Keccak256;
import java.nio.charset.StandardCharsets;

/**
 * A custom error of the pool, by its Solidity signature; see {@link ActionRevert}, {@link
 * LiquidationRevert}.
 */
public interface RevertReason {

    /** The error's canonical signature, e.g. {@code MaxLtvExceeded(uint256,uint256)}. */
    String errorSignature();

    /**
     * The 4-byte selector the revert data starts with, 0x-hex: keccak256 of the signature, first 4
     * bytes.
     */
    default String selector() {
        return Hex.of(Keccak256.hash(errorSignature().getBytes(StandardCharsets.UTF_8)))
                .substring(0, 10);
    }

    /** How many uint256 arguments the error carries. */
    default int arity() {
        String signature = errorSignature();
        String parameters = signature.substring(signature.indexOf('(') + 1, signature.length() - 1);
        return parameters.isEmpty() ? 0 : parameters.split(",").length;
    }
}
