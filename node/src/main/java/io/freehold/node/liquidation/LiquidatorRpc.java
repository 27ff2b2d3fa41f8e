package io.freehold.node.liquidation;

import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.chain.RpcEndpoint;
import io.freehold.types.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthChainId;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthMaxPriorityFeePerGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.EthTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The JSON-RPC calls of the liquidator: reads pinned to a block, simulations, fee data, and sending.
 * {@link io.freehold.node.chain.ChainRpc} serves the follower (heads, headers, logs) and has none of
 * these, so the liquidator keeps its own small client over the same endpoints
 * ({@code freehold.node.rpc.endpoints}, with their timeouts).
 *
 * <p>Reads go to the endpoints in order and move on when one cannot answer (I/O error, server error);
 * a revert is an answer, the same everywhere, and is returned as a {@link CallResult}. A signed
 * transaction goes to <em>every</em> endpoint: the more mempools see it, the sooner it is mined, and
 * one endpoint being down must not hold a liquidation back.
 *
 * <p>Thread-safe; every method blocks until it has an answer or every endpoint failed
 * ({@link LiquidatorRpcException}).
 */
public final class LiquidatorRpc implements AutoCloseable {

    /** The latest block: what preflight reads are pinned to and fees are priced against. */
    public record Head(long number, String hash, long timestamp, BigInteger baseFeePerGas) {}

    /** An {@code eth_call} or {@code eth_estimateGas} answer: the returned data, or the revert. */
    public record CallResult(boolean reverted, String returnData, String revertData, String message) {

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
        /** An endpoint already had it: sent before (a rebroadcast, or a retry after a lost answer). */
        ALREADY_KNOWN,
        /** Every endpoint answered and refused it (nonce too low, underpriced, insufficient funds...). */
        REJECTED,
        /** No endpoint answered: it may or may not have arrived. */
        UNKNOWN
    }

    /** @param detail the endpoints' words for a refusal or a failure; empty when accepted */
    public record SendResult(SendOutcome outcome, String detail) {}

    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]*");
    private static final int EXECUTION_REVERTED = 3;

    private final List<Endpoint> endpoints;

    /** Over the node's endpoints, with their connect and request timeouts. */
    public static LiquidatorRpc of(RpcConfiguration config) {
        return new LiquidatorRpc(config.endpoints(), config.connectTimeout(), config.requestTimeout());
    }

    public LiquidatorRpc(List<String> urls, Duration connectTimeout, Duration requestTimeout) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no JSON-RPC endpoint");
        }
        List<Endpoint> list = new ArrayList<>();
        for (String url : urls) {
            OkHttpClient http = new OkHttpClient.Builder()
                    .connectTimeout(connectTimeout)
                    .readTimeout(requestTimeout)
                    .writeTimeout(requestTimeout)
                    .callTimeout(requestTimeout)
                    .build();
            list.add(new Endpoint(RpcEndpoint.redact(url), http, new HttpService(url, http, false)));
        }
        this.endpoints = List.copyOf(list);
    }

    public long chainId() {
        return read("eth_chainId", List.of(), EthChainId.class).getChainId().longValueExact();
    }

    /** The latest block's number, hash, timestamp and base fee. */
    public Head head() {
        EthBlock.Block block = read("eth_getBlockByNumber", List.of("latest", false), EthBlock.class).getBlock();
        if (block == null) {
            throw new LiquidatorRpcException("eth_getBlockByNumber: no latest block");
        }
        if (block.getBaseFeePerGasRaw() == null) {
            throw new LiquidatorRpcException("the chain has no base fee (pre-London): EIP-1559 transactions need one");
        }
        return new Head(block.getNumber().longValueExact(), block.getHash(), block.getTimestamp().longValueExact(),
                block.getBaseFeePerGas());
    }

    /** The timestamp of block {@code number}. */
    public long timestamp(long number) {
        EthBlock.Block block = read("eth_getBlockByNumber", List.of(quantity(number), false), EthBlock.class)
                .getBlock();
        if (block == null) {
            throw new LiquidatorRpcException("eth_getBlockByNumber: no block " + number);
        }
        return block.getTimestamp().longValueExact();
    }

    /** The endpoint's suggested tip, or empty if it does not offer {@code eth_maxPriorityFeePerGas}. */
    public Optional<BigInteger> maxPriorityFeePerGas() {
        try {
            return Optional.of(read("eth_maxPriorityFeePerGas", List.of(), EthMaxPriorityFeePerGas.class)
                    .getMaxPriorityFeePerGas());
        } catch (LiquidatorRpcException e) {
            return Optional.empty();
        }
    }

    /** {@code eth_call} from {@code from} at block {@code number}. */
    public CallResult call(Address from, Address to, String data, long number) {
        return callLike("eth_call", List.of(Transaction.createEthCallTransaction(from.hex(), to.hex(), data),
                quantity(number)), EthCall.class, r -> r.getValue());
    }

    /** {@code eth_estimateGas} from {@code from} against the latest state; the gas as a hex quantity. */
    public CallResult estimateGas(Address from, Address to, String data) {
        return callLike("eth_estimateGas", List.of(Transaction.createEthCallTransaction(from.hex(), to.hex(), data)),
                EthEstimateGas.class, r -> r.getResult());
    }

    /** The native balance of {@code account} at block {@code number}, in wei. */
    public BigInteger balance(Address account, long number) {
        return read("eth_getBalance", List.of(account.hex(), quantity(number)), EthGetBalance.class).getBalance();
    }

    /** Transactions sent by {@code account} and mined by the latest block: the next nonce the chain expects. */
    public long minedNonce(Address account) {
        return read("eth_getTransactionCount", List.of(account.hex(), "latest"), EthGetTransactionCount.class)
                .getTransactionCount().longValueExact();
    }

    /** The receipt of {@code hash}, if it is mined. */
    public Optional<TransactionReceipt> receipt(String hash) {
        return read("eth_getTransactionReceipt", List.of(hash), EthGetTransactionReceipt.class).getTransactionReceipt();
    }

    /** Whether any endpoint knows the transaction (pending in its mempool, or mined). */
    public boolean known(String hash) {
        for (Endpoint e : endpoints) {
            try {
                EthTransaction answer = e.send(new Request<>("eth_getTransactionByHash", List.of(hash), e.service,
                        EthTransaction.class));
                if (!answer.hasError() && answer.getTransaction().isPresent()) {
                    return true;
                }
            } catch (IOException | RuntimeException ignored) {
                // an endpoint that cannot say does not know it
            }
        }
        return false;
    }

    /** Logs of {@code address} in blocks {@code from..to} matching {@code topics} (null entries match anything). */
    public List<Log> logs(long from, long to, Address address, List<String> topics) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), address.hex());
        for (String topic : topics) {
            if (topic == null) {
                filter.addNullTopic();
            } else {
                filter.addSingleTopic(topic);
            }
        }
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : read("eth_getLogs", List.of(filter), EthLog.class).getLogs()) {
            if (result.get() instanceof Log log) {
                logs.add(log);
            }
        }
        return logs;
    }

    /** Sends a signed transaction (0x-hex) to every endpoint; see {@link SendOutcome}. */
    public SendResult send(String rawTransaction) {
        boolean accepted = false;
        boolean alreadyKnown = false;
        boolean unanswered = false;
        List<String> details = new ArrayList<>();
        for (Endpoint e : endpoints) {
            try {
                EthSendTransaction answer = e.send(new Request<>("eth_sendRawTransaction", List.of(rawTransaction),
                        e.service, EthSendTransaction.class));
                if (!answer.hasError()) {
                    accepted = true;
                } else if (isAlreadyKnown(answer.getError().getMessage())) {
                    alreadyKnown = true;
                } else {
                    details.add(e.name + ": " + answer.getError().getMessage());
                }
            } catch (IOException | RuntimeException ex) {
                // No answer: the transaction may have arrived or not. Recorded already, it is tracked either way.
                unanswered = true;
                details.add(e.name + ": " + ex);
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
        for (Endpoint e : endpoints) {
            e.http.dispatcher().executorService().shutdown();
            e.http.connectionPool().evictAll();
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------

    /** geth "already known", anvil "transaction already imported", Nethermind "AlreadyKnown", Erigon "known transaction". */
    private static boolean isAlreadyKnown(String message) {
        String text = String.valueOf(message).toLowerCase(Locale.ROOT);
        return text.contains("already known") || text.contains("alreadyknown") || text.contains("already imported")
                || text.contains("known transaction");
    }

    private <R extends Response<?>> R read(String method, List<?> params, Class<R> type) {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints) {
            try {
                R answer = e.send(new Request<>(method, params, e.service, type));
                if (!answer.hasError()) {
                    return answer;
                }
                failures.add(e.name + ": JSON-RPC error " + answer.getError().getCode() + ": "
                        + answer.getError().getMessage());
            } catch (IOException | RuntimeException ex) {
                failures.add(e.name + ": " + ex);
            }
        }
        throw new LiquidatorRpcException(method + ": no endpoint answered (" + String.join("; ", failures) + ")");
    }

    private <R extends Response<?>> CallResult callLike(String method, List<?> params, Class<R> type,
            Function<R, String> value) {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints) {
            try {
                R answer = e.send(new Request<>(method, params, e.service, type));
                if (!answer.hasError()) {
                    return CallResult.ok(value.apply(answer));
                }
                Response.Error error = answer.getError();
                if (error.getCode() == EXECUTION_REVERTED
                        || String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT).contains("revert")) {
                    return CallResult.revert(revertData(error.getData()), error.getMessage());
                }
                failures.add(e.name + ": JSON-RPC error " + error.getCode() + ": " + error.getMessage());
            } catch (IOException | RuntimeException ex) {
                failures.add(e.name + ": " + ex);
            }
        }
        throw new LiquidatorRpcException(method + ": no endpoint answered (" + String.join("; ", failures) + ")");
    }

    /** web3j hands the error's {@code data} over as raw JSON: a quoted hex string, or an object some clients send. */
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

    private record Endpoint(String name, OkHttpClient http, HttpService service) {
        <R extends Response<?>> R send(Request<?, R> request) throws IOException {
            R answer = request.send();
            if (answer == null) {
                throw new IOException("empty answer to " + request.getMethod());
            }
            return answer;
        }
    }
}
