package io.freehold.sdk.onchain;

import io.freehold.contracts.bindings.Eip1559;
import io.freehold.types.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * Sends one signer's transactions, one at a time: preflight, sign, send, wait for the receipt. Not
 * API.
 *
 * <ul>
 *   <li>Preflight: {@code eth_call} at the latest block from the signer, then {@code
 *       eth_estimateGas}; a revert in either is reported with its decoded reason and nothing is
 *       sent.
 *   <li>Gas limit: the estimate plus a third, because the transaction may land a few seconds later
 *       than the estimate assumed and accruing interest over those seconds writes more storage.
 *   <li>Fees (EIP-1559): the endpoint's suggested tip (1 gwei without one) and a max fee of twice
 *       the latest base fee plus the tip: the base fee rises at most 12.5% a block, so that
 *       survives about six full blocks in a row.
 *   <li>Nonce: the signer's pending transaction count, read for each transaction. Callers serialise
 *       sends (one at a time, each waited for), so this is right for one signer used by one {@code
 *       FreeholdPool}; another program sending from the same key at the same time could collide.
 *   <li>A mined revert is replayed with {@code eth_call} at its block to read the reason, since
 *       receipts carry none. The replay sees the state after that block, which for a reverted
 *       transaction is the state it met unless a later transaction in the same block changed what
 *       it checks.
 * </ul>
 */
final class TransactionSender {

    /** The tip when the endpoint suggests none: 1 gwei. */
    static final BigInteger DEFAULT_TIP = BigInteger.valueOf(1_000_000_000L);

    /** A mined transaction that succeeded. */
    record Mined(String hash, long blockNumber, BigInteger gasUsed, TransactionReceipt receipt) {}

    private final JsonRpc rpc;
    private final Credentials signer;
    private final Address from;
    private final long chainId;
    private final PollingTransactionReceiptProcessor receipts;
    private final Duration receiptTimeout;

    TransactionSender(
            JsonRpc rpc,
            Credentials signer,
            long chainId,
            Duration pollInterval,
            Duration receiptTimeout) {
        this.rpc = rpc;
        this.signer = signer;
        this.from = Address.fromHex(signer.getAddress().toLowerCase(Locale.ROOT));
        this.chainId = chainId;
        long pollMillis = Math.max(1, pollInterval.toMillis());
        int attempts = (int) Math.max(1, receiptTimeout.toMillis() / pollMillis);
        this.receipts = new PollingTransactionReceiptProcessor(rpc.web3j(), pollMillis, attempts);
        this.receiptTimeout = receiptTimeout;
    }

    Address from() {
        return from;
    }

    /**
     * Simulates {@code data} sent to {@code to} by the signer at the latest block.
     *
     * @return the revert, or null if the call succeeds
     */
    ContractRevert simulate(Address to, String data) {
        JsonRpc.CallResult call = rpc.call(from, to, data, DefaultBlockParameterName.LATEST);
        return call.reverted() ? call.revert() : null;
    }

    /**
     * Preflights, sends and waits for {@code data} to {@code to}.
     *
     * @param action names the call in messages, e.g. {@code borrow}
     * @throws ContractRevertException if the preflight or the mined transaction reverted
     * @throws OnchainException if the endpoint failed or no receipt came in time
     */
    synchronized Mined send(String action, Address to, String data) {
        ContractRevert preflight = simulate(to, data);
        if (preflight != null) {
            throw ContractRevertException.preflight(action, preflight);
        }
        JsonRpc.CallResult estimate = rpc.estimateGas(from, to, data);
        if (estimate.reverted()) {
            throw ContractRevertException.preflight(action, estimate.revert());
        }
        BigInteger estimated = new BigInteger(estimate.value());
        BigInteger gasLimit = estimated.add(estimated.divide(BigInteger.valueOf(3)));

        BigInteger baseFee = rpc.block(DefaultBlockParameterName.LATEST).baseFeePerGas();
        BigInteger tip = rpc.maxPriorityFeePerGas().orElse(DEFAULT_TIP);
        BigInteger maxFee = Eip1559.maxFeePerGas(baseFee, tip);
        RawTransaction tx =
                RawTransaction.createTransaction(
                        chainId,
                        rpc.pendingNonce(from),
                        gasLimit,
                        to.toLowerCaseHex(),
                        BigInteger.ZERO,
                        data,
                        tip,
                        maxFee);
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, signer));
        String hash = Hash.sha3(raw);

        var sent = rpc.send(rpc.web3j().ethSendRawTransaction(raw), "eth_sendRawTransaction");
        if (sent.hasError()) {
            throw new OnchainException(
                    action
                            + ": the endpoint refused the transaction "
                            + hash
                            + ": "
                            + sent.getError().getMessage(),
                    null);
        }
        TransactionReceipt receipt;
        try {
            receipt = receipts.waitForTransactionReceipt(hash);
        } catch (TransactionException e) {
            throw new OnchainException(
                    action
                            + ": transaction "
                            + hash
                            + " sent but not mined within "
                            + receiptTimeout
                            + "; it may still be mined",
                    e);
        } catch (IOException e) {
            throw new OnchainException(
                    action
                            + ": transaction "
                            + hash
                            + " sent, but the endpoint failed while "
                            + "waiting for its receipt; it may still be mined: "
                            + e.getMessage(),
                    e);
        }
        long block = receipt.getBlockNumber().longValueExact();
        if (!receipt.isStatusOK()) {
            JsonRpc.CallResult replay =
                    rpc.call(
                            from,
                            to,
                            data,
                            DefaultBlockParameter.valueOf(receipt.getBlockNumber()));
            ContractRevert revert =
                    replay.reverted() ? replay.revert() : ContractRevert.decode("0x");
            throw ContractRevertException.mined(action, revert, hash, block, receipt.getGasUsed());
        }
        return new Mined(hash, block, receipt.getGasUsed(), receipt);
    }
}
