package io.freehold.bench;

import io.freehold.contracts.local.Anvil;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * What the benchmarks do to anvil beyond the generated wrappers: its own methods, and many
 * transactions signed here and sent in JSON-RPC batches without waiting (so hundreds share a block
 * when automine is off).
 */
final class Chain {

    /** Raw JSON-RPC answers (maps, lists, strings). */
    static final class Raw extends Response<Object> {}

    static final BigInteger GAS_PRICE = BigInteger.valueOf(5_000_000_000L);

    final Anvil anvil;
    private final HttpService http;

    Chain(Anvil anvil) {
        this.anvil = anvil;
        // A long read timeout: on a loaded machine anvil can take more than OkHttp's default 10 s
        // to mine
        // fifty blocks over a large state, which failed a whole ingestion run.
        this.http =
                new HttpService(
                        anvil.rpcUrl(),
                        new OkHttpClient.Builder()
                                .readTimeout(Duration.ofMinutes(2))
                                .writeTimeout(Duration.ofMinutes(2))
                                .build());
    }

    Object call(String method, Object... params) throws Exception {
        Raw answer = new Request<>(method, List.of(params), http, Raw.class).send();
        if (answer.hasError()) {
            throw new IllegalStateException(method + ": " + answer.getError().getMessage());
        }
        return answer.getResult();
    }

    void mine() throws Exception {
        call("evm_mine");
    }

    long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    long pendingNonce(Credentials who) throws Exception {
        return anvil.web3j()
                .ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.PENDING)
                .send()
                .getTransactionCount()
                .longValueExact();
    }

    /** Signs and sends one call; its transaction hash. */
    String send(Credentials from, long nonce, String to, String data, long gasLimit)
            throws Exception {
        RawTransaction tx =
                RawTransaction.createTransaction(
                        BigInteger.valueOf(nonce),
                        GAS_PRICE,
                        BigInteger.valueOf(gasLimit),
                        to,
                        BigInteger.ZERO,
                        data);
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, anvil.chainId(), from));
        var answer = anvil.web3j().ethSendRawTransaction(raw).send();
        if (answer.hasError()) {
            throw new IllegalStateException(
                    "eth_sendRawTransaction: " + answer.getError().getMessage());
        }
        return Hash.sha3(raw);
    }

    /**
     * Polls every 20 ms (web3j's receipt processor sleeps longer between polls) for up to a minute.
     */
    TransactionReceipt awaitReceipt(String hash) throws Exception {
        long giveUp = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < giveUp) {
            var receipt =
                    anvil.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no receipt for " + hash + " in 60 s");
    }

    /**
     * Signs one call per entry of {@code data} to {@code to}, nonces from {@code nonce}, and sends
     * them in one batch.
     */
    long sendAll(Credentials from, long nonce, String to, List<String> data, long gasLimit)
            throws Exception {
        BatchRequest batch = anvil.web3j().newBatch();
        List<String> raw = new ArrayList<>(data.size());
        for (String d : data) {
            RawTransaction tx =
                    RawTransaction.createTransaction(
                            BigInteger.valueOf(nonce++),
                            GAS_PRICE,
                            BigInteger.valueOf(gasLimit),
                            to,
                            BigInteger.ZERO,
                            d);
            raw.add(Numeric.toHexString(TransactionEncoder.signMessage(tx, anvil.chainId(), from)));
        }
        raw.forEach(r -> batch.add(anvil.web3j().ethSendRawTransaction(r)));
        for (Response<?> r : batch.send().getResponses()) {
            if (r.hasError()) {
                throw new IllegalStateException(
                        "eth_sendRawTransaction: " + r.getError().getMessage());
            }
        }
        return nonce;
    }
}
