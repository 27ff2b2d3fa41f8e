package io.freehold.node.liquidation.transact;

import io.freehold.types.Address;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Signs the liquidator's EIP-1559 transactions. The hash is computed here, before anything is sent,
 * so that the transaction can be recorded under its hash first.
 */
final class TransactionSigner {

    /** A plain transfer's gas: a cancel is a zero-value transfer to oneself. */
    static final long TRANSFER_GAS = 21_000;

    private final LiquidatorKey key;
    private final long chainId;

    TransactionSigner(LiquidatorKey key, long chainId) {
        this.key = key;
        this.chainId = chainId;
    }

    Address account() {
        return key.address();
    }

    /** {@code liquidate} on {@code pool} with {@code calldata}. */
    SentTransaction liquidation(
            int seq,
            long nonce,
            Fees fees,
            long gasLimit,
            Address pool,
            String calldata,
            Instant now,
            long head) {
        return sign(
                seq,
                SentTransaction.Kind.LIQUIDATION,
                nonce,
                fees,
                gasLimit,
                pool,
                calldata,
                now,
                head);
    }

    /**
     * A zero-value transfer to the liquidator at {@code nonce}: replaces a liquidation no longer
     * wanted.
     */
    SentTransaction cancel(int seq, long nonce, Fees fees, Instant now, long head) {
        return sign(
                seq,
                SentTransaction.Kind.CANCEL,
                nonce,
                fees,
                TRANSFER_GAS,
                key.address(),
                "0x",
                now,
                head);
    }

    private SentTransaction sign(
            int seq,
            SentTransaction.Kind kind,
            long nonce,
            Fees fees,
            long gasLimit,
            Address to,
            String data,
            Instant now,
            long head) {
        RawTransaction tx =
                RawTransaction.createTransaction(
                        chainId,
                        BigInteger.valueOf(nonce),
                        BigInteger.valueOf(gasLimit),
                        to.hex(),
                        BigInteger.ZERO,
                        data,
                        fees.maxPriorityFeePerGas(),
                        fees.maxFeePerGas());
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, key.credentials()));
        return new SentTransaction(
                seq, Hash.sha3(raw), kind, fees, gasLimit, raw, now, head, Optional.empty());
    }
}
