package io.freehold.aave.local;

import io.freehold.contracts.local.Anvil;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;

/**
 * Sends transactions as one dev account of an automining anvil and waits for each receipt; reads
 * with {@code eth_call}. The Aave contracts have no generated wrappers here: the deployer and the
 * tests call a handful of functions, each encoded with web3j's ABI encoder.
 */
public final class ChainWriter {

    /** Anvil's base fee starts at 1 gwei; 5 gwei is always enough. */
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(5_000_000_000L);

    /** The Pool and PoolConfigurator are near the 24 KB limit: their creation takes ~6M gas. */
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(12_000_000);

    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(30);

    private final Anvil anvil;
    private final Credentials sender;
    private final RawTransactionManager transactions;

    public ChainWriter(Anvil anvil, Credentials sender) {
        this.anvil = anvil;
        this.sender = sender;
        this.transactions = new RawTransactionManager(anvil.web3j(), sender, anvil.chainId());
    }

    public String address() {
        return sender.getAddress();
    }

    /** Deploys {@code creationCode} (hex, no 0x) with {@code constructorArgs} appended. */
    String deploy(String name, String creationCode, Type<?>... constructorArgs) throws IOException {
        String data =
                "0x"
                        + creationCode
                        + FunctionEncoder.encodeConstructor(Arrays.asList(constructorArgs));
        TransactionReceipt receipt = send(null, data, name + " creation");
        return receipt.getContractAddress();
    }

    /** Calls {@code function} on {@code to} in a transaction; throws if it reverts. */
    public TransactionReceipt send(String to, String function, Type<?>... args) throws IOException {
        return send(
                to,
                FunctionEncoder.encode(new Function(function, List.of(args), List.of())),
                function);
    }

    /** Reads {@code function} on {@code to} at {@code block} ({@code null}: the latest). */
    @SuppressWarnings("rawtypes")
    public List<Type> call(
            String to,
            String function,
            List<Type> args,
            List<TypeReference<?>> outputs,
            BigInteger block)
            throws IOException {
        Function f = new Function(function, args, outputs);
        var response =
                anvil.web3j()
                        .ethCall(
                                Transaction.createEthCallTransaction(
                                        sender.getAddress(), to, FunctionEncoder.encode(f)),
                                block == null
                                        ? DefaultBlockParameter.valueOf("latest")
                                        : DefaultBlockParameter.valueOf(block))
                        .send();
        if (response.hasError() || response.isReverted()) {
            throw new IllegalStateException(
                    function + " on " + to + " reverted: " + response.getRevertReason());
        }
        return FunctionReturnDecoder.decode(response.getValue(), f.getOutputParameters());
    }

    /**
     * A view taking one address and returning a uint256 ({@code balanceOf}, {@code
     * scaledBalanceOf}, ...) at {@code block} ({@code null}: the latest).
     */
    @SuppressWarnings("rawtypes")
    public BigInteger uintView(String to, String function, String account, BigInteger block)
            throws IOException {
        List<Type> out =
                call(
                        to,
                        function,
                        List.of(new org.web3j.abi.datatypes.Address(account)),
                        List.of(new TypeReference<Uint256>() {}),
                        block);
        return (BigInteger) out.get(0).getValue();
    }

    /**
     * The receipt, polled briefly: anvil answers {@code eth_sendRawTransaction} as soon as the
     * transaction is in its pool, and automine mines it a moment later.
     */
    private TransactionReceipt receipt(String hash, String what) throws IOException {
        long deadline = System.nanoTime() + RECEIPT_TIMEOUT.toNanos();
        while (true) {
            var receipt =
                    anvil.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        what + ": no receipt after " + RECEIPT_TIMEOUT + "; is anvil mining?");
            }
            Thread.onSpinWait();
        }
    }

    private TransactionReceipt send(String to, String data, String what) throws IOException {
        EthSendTransaction sent =
                to == null
                        ? transactions.sendTransaction(
                                GAS_PRICE, GAS_LIMIT, null, data, BigInteger.ZERO, true)
                        : transactions.sendTransaction(
                                GAS_PRICE, GAS_LIMIT, to, data, BigInteger.ZERO);
        if (sent.hasError()) {
            throw new IllegalStateException(what + " failed: " + sent.getError().getMessage());
        }
        TransactionReceipt receipt = receipt(sent.getTransactionHash(), what);
        if (!receipt.isStatusOK()) {
            throw new IllegalStateException(what + " reverted: " + receipt.getRevertReason());
        }
        return receipt;
    }
}
