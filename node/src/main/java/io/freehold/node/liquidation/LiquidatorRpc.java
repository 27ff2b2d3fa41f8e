package io.freehold.node.liquidation;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.chain.RpcException;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthMaxPriorityFeePerGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.EthTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The JSON-RPC calls of the liquidator — reads pinned to a block, simulations, fee data, sending —
 * in the liquidator's words, over the node's one endpoint layer, {@link ChainRpc}: every call takes
 * the same retry, circuit breaker, rate limit ({@code freehold.node.rpc.requests-per-second} counts
 * liquidator traffic too), failover, chain-id check and lag check as the follower's. In the node
 * both share one {@link ChainRpc} bean.
 *
 * <p>Reads go to the first endpoint that can serve them; a read pinned to block {@code b} is not
 * asked of an endpoint that has not seen {@code b}. A revert is an answer, the same everywhere, and
 * is returned as a {@link CallResult}. A signed transaction goes to <em>every</em> endpoint: the
 * more mempools see it, the sooner it is mined, and one endpoint being down must not hold a
 * liquidation back; an endpoint's refusal ("nonce too low") is its answer, not a failure of the
 * endpoint.
 *
 * <p>Thread-safe; every method blocks until it has an answer or every endpoint failed ({@link
 * LiquidatorRpcException}, with the endpoint layer's {@link RpcException} as its cause).
 */
public final class LiquidatorRpc implements AutoCloseable {

    /** The latest block: what preflight reads are pinned to and fees are priced against. */
    public record Head(long number, String hash, long timestamp, BigInteger baseFeePerGas) {}

    /** An {@code eth_call} or {@code eth_estimateGas} answer: the returned data, or the revert. */
    public record CallResult(
            boolean reverted, String returnData, String revertData, String message) {

        static CallResult ok(String data) {
            return new CallResult(false, data == null ? "0x" : data, null, null);
        }

        static CallResult revert(String data, String message) {
            return new CallResult(true, null, data == null ? "0x" : data, message);
        }
    }

    /** What the endpoints made of a signed transaction. */
    public enum SendOutcome {
        /** At least one endpoint took it into its mempool. */
        ACCEPTED,
        /**
         * An endpoint already had it: sent before (a rebroadcast, or a retry after a lost answer).
         */
        ALREADY_KNOWN,
        /**
         * Every endpoint answered and refused it (nonce too low, underpriced, insufficient
         * funds...).
         */
        REJECTED,
        /** No endpoint answered: it may or may not have arrived. */
        UNKNOWN
    }

    /**
     * @param detail the endpoints' words for a refusal or a failure; empty when accepted
     */
    public record SendResult(SendOutcome outcome, String detail) {}

    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]*");
    private static final int EXECUTION_REVERTED = 3;
    private static final long ANY_BLOCK = -1;
    private static final Predicate<Response.Error> NO_ERROR_IS_AN_ANSWER = e -> false;
    private static final Predicate<Response.Error> REVERT =
            e ->
                    e.getCode() == EXECUTION_REVERTED
                            || String.valueOf(e.getMessage())
                                    .toLowerCase(Locale.ROOT)
                                    .contains("revert");

    private final ChainRpc chain;
    private final boolean ownsChain;

    /** Over its own endpoint layer built from {@code config} (closed with this client). */
    public static LiquidatorRpc of(RpcConfiguration config) {
        return new LiquidatorRpc(new ChainRpc(config), true);
    }

    /** Over the node's endpoint layer, shared with the follower (not closed with this client). */
    public LiquidatorRpc(ChainRpc chain) {
        this(chain, false);
    }

    /**
     * Over {@code urls} with the default resilience settings and these timeouts; for tools and
     * tests.
     */
    public LiquidatorRpc(List<String> urls, Duration connectTimeout, Duration requestTimeout) {
        this(
                new ChainRpc(
                        RpcConfiguration.builder(urls)
                                .connectTimeout(connectTimeout)
                                .requestTimeout(requestTimeout)
                                .build()),
                true);
    }

    private LiquidatorRpc(ChainRpc chain, boolean ownsChain) {
        this.chain = chain;
        this.ownsChain = ownsChain;
    }

    public long chainId() {
        return guarded("eth_chainId", chain::chainId);
    }

    /**
     * The latest block's number, hash, timestamp and base fee: the best head among the endpoints
     * (lagging ones marked as such), read from one that has seen it.
     */
    public Head head() {
        long number = guarded("eth_blockNumber", chain::head);
        EthBlock.Block block =
                read(
                                "eth_getBlockByNumber",
                                List.of(quantity(number), false),
                                EthBlock.class,
                                number)
                        .getBlock();
        if (block == null) {
            throw new LiquidatorRpcException("eth_getBlockByNumber: no block " + number);
        }
        if (block.getBaseFeePerGasRaw() == null) {
            throw new LiquidatorRpcException(
                    "the chain has no base fee (pre-London): EIP-1559 transactions need one");
        }
        return new Head(
                block.getNumber().longValueExact(),
                block.getHash(),
                block.getTimestamp().longValueExact(),
                block.getBaseFeePerGas());
    }

    /** The timestamp of block {@code number}. */
    public long timestamp(long number) {
        EthBlock.Block block =
                read(
                                "eth_getBlockByNumber",
                                List.of(quantity(number), false),
                                EthBlock.class,
                                number)
                        .getBlock();
        if (block == null) {
            throw new LiquidatorRpcException("eth_getBlockByNumber: no block " + number);
        }
        return block.getTimestamp().longValueExact();
    }

    /**
     * The endpoint's suggested tip, or empty if it does not offer {@code eth_maxPriorityFeePerGas}.
     */
    public Optional<BigInteger> maxPriorityFeePerGas() {
        try {
            return Optional.of(
                    read(
                                    "eth_maxPriorityFeePerGas",
                                    List.of(),
                                    EthMaxPriorityFeePerGas.class,
                                    ANY_BLOCK)
                            .getMaxPriorityFeePerGas());
        } catch (LiquidatorRpcException e) {
            return Optional.empty();
        }
    }

    /** {@code eth_call} from {@code from} at block {@code number}. */
    public CallResult call(Address from, Address to, String data, long number) {
        return callLike(
                "eth_call",
                List.of(
                        Transaction.createEthCallTransaction(from.hex(), to.hex(), data),
                        quantity(number)),
                EthCall.class,
                number,
                r -> r.getValue());
    }

    /**
     * {@code eth_estimateGas} from {@code from} against the latest state; the gas as a hex
     * quantity.
     */
    public CallResult estimateGas(Address from, Address to, String data) {
        return callLike(
                "eth_estimateGas",
                List.of(Transaction.createEthCallTransaction(from.hex(), to.hex(), data)),
                EthEstimateGas.class,
                ANY_BLOCK,
                r -> r.getResult());
    }

    /** The native balance of {@code account} at block {@code number}, in wei. */
    public BigInteger balance(Address account, long number) {
        return read(
                        "eth_getBalance",
                        List.of(account.hex(), quantity(number)),
                        EthGetBalance.class,
                        number)
                .getBalance();
    }

    /**
     * Transactions sent by {@code account} and mined by the latest block: the next nonce the chain
     * expects.
     */
    public long minedNonce(Address account) {
        return read(
                        "eth_getTransactionCount",
                        List.of(account.hex(), "latest"),
                        EthGetTransactionCount.class,
                        ANY_BLOCK)
                .getTransactionCount()
                .longValueExact();
    }

    /** The receipt of {@code hash}, if it is mined. */
    public Optional<TransactionReceipt> receipt(String hash) {
        return read(
                        "eth_getTransactionReceipt",
                        List.of(hash),
                        EthGetTransactionReceipt.class,
                        ANY_BLOCK)
                .getTransactionReceipt();
    }

    /** Whether any endpoint knows the transaction (pending in its mempool, or mined). */
    public boolean known(String hash) {
        for (ChainRpc.EndpointAnswer<EthTransaction> answer :
                chain.broadcast(
                        "eth_getTransactionByHash",
                        List.of(hash),
                        EthTransaction.class,
                        NO_ERROR_IS_AN_ANSWER)) {
            // an endpoint that cannot say does not know it
            if (answer.answered() && answer.response().getTransaction().isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Logs of {@code address} in blocks {@code from..to} matching {@code topics} (null entries
     * match anything).
     */
    public List<Log> logs(long from, long to, Address address, List<String> topics) {
        List<List<String>> byPosition = new ArrayList<>();
        for (String topic : topics) {
            byPosition.add(topic == null ? null : List.of(topic));
        }
        return guarded(
                "eth_getLogs", () -> chain.logs(from, to, List.of(address.hex()), byPosition));
    }

    /** Sends a signed transaction (0x-hex) to every endpoint; see {@link SendOutcome}. */
    public SendResult send(String rawTransaction) {
        boolean accepted = false;
        boolean alreadyKnown = false;
        boolean unanswered = false;
        List<String> details = new ArrayList<>();
        // Every error object is the endpoint's verdict on the transaction, not a fault of the
        // endpoint.
        for (ChainRpc.EndpointAnswer<EthSendTransaction> answer :
                chain.broadcast(
                        "eth_sendRawTransaction",
                        List.of(rawTransaction),
                        EthSendTransaction.class,
                        e -> true)) {
            if (!answer.answered()) {
                // No answer: the transaction may have arrived or not. Recorded already, it is
                // tracked either way.
                unanswered = true;
                details.add(answer.failure().getMessage());
            } else if (!answer.response().hasError()) {
                accepted = true;
            } else if (isAlreadyKnown(answer.response().getError().getMessage())) {
                alreadyKnown = true;
            } else {
                details.add(answer.endpoint() + ": " + answer.response().getError().getMessage());
            }
        }
        String detail = String.join("; ", details);
        if (accepted) {
            return new SendResult(SendOutcome.ACCEPTED, detail);
        }
        if (alreadyKnown) {
            return new SendResult(SendOutcome.ALREADY_KNOWN, detail);
        }
        return new SendResult(unanswered ? SendOutcome.UNKNOWN : SendOutcome.REJECTED, detail);
    }

    @Override
    public void close() {
        if (ownsChain) {
            chain.close();
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------

    /**
     * geth "already known", anvil "transaction already imported", Nethermind "AlreadyKnown", Erigon
     * "known transaction".
     */
    private static boolean isAlreadyKnown(String message) {
        String text = String.valueOf(message).toLowerCase(Locale.ROOT);
        return text.contains("already known")
                || text.contains("alreadyknown")
                || text.contains("already imported")
                || text.contains("known transaction");
    }

    private <R extends Response<?>> R read(
            String method, List<?> params, Class<R> type, long atBlock) {
        return guarded(
                method, () -> chain.request(method, params, type, atBlock, NO_ERROR_IS_AN_ANSWER));
    }

    private <R extends Response<?>> CallResult callLike(
            String method, List<?> params, Class<R> type, long atBlock, Function<R, String> value) {
        R answer = guarded(method, () -> chain.request(method, params, type, atBlock, REVERT));
        if (!answer.hasError()) {
            return CallResult.ok(value.apply(answer));
        }
        return CallResult.revert(
                revertData(answer.getError().getData()), answer.getError().getMessage());
    }

    /**
     * The endpoint layer's failure, as the liquidator's: nothing is decided on a call nobody
     * answered.
     */
    private static <T> T guarded(String method, Supplier<T> call) {
        try {
            return call.get();
        } catch (RpcException e) {
            throw new LiquidatorRpcException(method + ": " + e.getMessage(), e);
        }
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

    private static String quantity(long number) {
        return Numeric.encodeQuantity(BigInteger.valueOf(number));
    }
}
