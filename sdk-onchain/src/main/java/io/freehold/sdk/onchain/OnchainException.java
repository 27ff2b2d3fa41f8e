package io.freehold.sdk.onchain;

import io.freehold.sdk.FreeholdException;
import java.util.Map;

/**
 * A transaction or read against the chain that failed for a reason other than a revert: the
 * endpoint did not answer, refused the transaction (nonce, fees, balance for gas), or no receipt
 * came in time. Whether a sent transaction may still be mined is said in the message; a revert is a
 * {@link ContractRevertException}.
 *
 * <pre>{@code
 * try {
 *     pool.supply(marketId, amount);
 * } catch (ContractRevertException e) {
 *     log.warn("the pool refused: {}", e.revert());
 * } catch (OnchainException e) {
 *     log.warn("chain unreachable or transaction not mined: {}", e.getMessage());
 * }
 * }</pre>
 */
public class OnchainException extends FreeholdException {

    private static final long serialVersionUID = 1L;

    public OnchainException(String message, Throwable cause) {
        super(message, "", Map.of(), cause);
    }

    OnchainException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
