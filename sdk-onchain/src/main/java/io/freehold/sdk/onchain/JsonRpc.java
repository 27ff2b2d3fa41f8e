package io.freehold.sdk.onchain;

import io.freehold.types.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * The few JSON-RPC calls the on-chain layer makes, with a revert told apart from a failure: a
 * revert is an answer ({@link CallResult}), an endpoint that does not answer is an {@link
 * OnchainException}. Not API.
 */
final class JsonRpc {

    /** The JSON-RPC error code for a reverted call (EIP-1474 and every major client). */
    private static final int EXECUTION_REVERTED = 3;

    private static final Pattern HEX = Pattern.compile("0x([0-9a-fA-F]{2})*");

    /** An {@code eth_call} or {@code eth_estimateGas}: the returned value, or the revert data. */
    record CallResult(String value, ContractRevert revert) {
        boolean reverted() {
            return revert != null;
        }
    }

    /** The block fields the layer needs. */
    record Block(long number, long timestamp, BigInteger baseFeePerGas) {}

    private final Web3j web3j;

    JsonRpc(Web3j web3j) {
        this.web3j = web3j;
    }

    Web3j web3j() {
        return web3j;
    }

    CallResult call(Address from, Address to, String data, DefaultBlockParameter block) {
        Transaction tx =
                Transaction.createEthCallTransaction(
                        from.toLowerCaseHex(), to.toLowerCaseHex(), data);
        var answer = send(web3j.ethCall(tx, block), "eth_call");
        if (answer.hasError()) {
            return revertOrThrow("eth_call", answer.getError());
        }
        return new CallResult(answer.getValue(), null);
    }

    CallResult estimateGas(Address from, Address to, String data) {
        Transaction tx =
                Transaction.createEthCallTransaction(
                        from.toLowerCaseHex(), to.toLowerCaseHex(), data);
        var answer = send(web3j.ethEstimateGas(tx), "eth_estimateGas");
        if (answer.hasError()) {
            return revertOrThrow("eth_estimateGas", answer.getError());
        }
        return new CallResult(answer.getAmountUsed().toString(), null);
    }

    BigInteger storageAt(Address contract, BigInteger slot, long block) {
        var answer =
                send(
                        web3j.ethGetStorageAt(
                                contract.toLowerCaseHex(),
                                slot,
                                DefaultBlockParameter.valueOf(BigInteger.valueOf(block))),
                        "eth_getStorageAt");
        failIfError("eth_getStorageAt", answer);
        return new BigInteger(
                answer.getData().substring(2).isEmpty() ? "0" : answer.getData().substring(2), 16);
    }

    Block block(DefaultBlockParameter which) {
        var answer = send(web3j.ethGetBlockByNumber(which, false), "eth_getBlockByNumber");
        failIfError("eth_getBlockByNumber", answer);
        EthBlock.Block b = answer.getBlock();
        if (b == null) {
            throw new OnchainException("eth_getBlockByNumber: no block " + which.getValue(), null);
        }
        BigInteger baseFee =
                b.getBaseFeePerGasRaw() == null ? BigInteger.ZERO : b.getBaseFeePerGas();
        return new Block(
                b.getNumber().longValueExact(), b.getTimestamp().longValueExact(), baseFee);
    }

    Optional<BigInteger> maxPriorityFeePerGas() {
        try {
            var answer = web3j.ethMaxPriorityFeePerGas().send();
            return answer.hasError()
                    ? Optional.empty()
                    : Optional.of(answer.getMaxPriorityFeePerGas());
        } catch (IOException | RuntimeException e) {
            return Optional
                    .empty(); // not every endpoint has it; the caller falls back to a default tip
        }
    }

    BigInteger pendingNonce(Address account) {
        var answer =
                send(
                        web3j.ethGetTransactionCount(
                                account.toLowerCaseHex(), DefaultBlockParameterName.PENDING),
                        "eth_getTransactionCount");
        failIfError("eth_getTransactionCount", answer);
        return answer.getTransactionCount();
    }

    long chainId() {
        var answer = send(web3j.ethChainId(), "eth_chainId");
        failIfError("eth_chainId", answer);
        return answer.getChainId().longValueExact();
    }

    <R extends Response<?>> R send(Request<?, R> request, String method) {
        try {
            R answer = request.send();
            if (answer == null) {
                throw new OnchainException(method + ": empty answer", null);
            }
            return answer;
        } catch (IOException e) {
            throw new OnchainException(
                    method + ": the endpoint did not answer: " + e.getMessage(), e);
        }
    }

    static void failIfError(String method, Response<?> answer) {
        if (answer.hasError()) {
            throw new OnchainException(
                    method
                            + ": JSON-RPC error "
                            + answer.getError().getCode()
                            + ": "
                            + answer.getError().getMessage(),
                    null);
        }
    }

    private static CallResult revertOrThrow(String method, Response.Error error) {
        if (error.getCode() == EXECUTION_REVERTED
                || String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT).contains("revert")) {
            return new CallResult(null, ContractRevert.decode(revertData(error.getData())));
        }
        throw new OnchainException(
                method + ": JSON-RPC error " + error.getCode() + ": " + error.getMessage(), null);
    }

    /**
     * web3j hands the error's {@code data} over as raw JSON: a quoted hex string, or an object some
     * clients send.
     */
    private static String revertData(String raw) {
        if (raw == null) {
            return "0x";
        }
        String text = raw.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        return HEX.matcher(text).matches() ? text : "0x";
    }
}
