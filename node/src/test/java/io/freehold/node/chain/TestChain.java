package io.freehold.node.chain;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * A real anvil with the whole protocol deployed ({@link LocalSystem#deploy}) and then made busy:
 * rounds of empty blocks, identity batches that emit hundreds of logs in one block, and mUSD mints
 * from a second contract, so that log ranges are uneven, some blocks are dense and most are empty.
 * The same seed gives the same chain.
 */
final class TestChain implements AutoCloseable {

    /** verifyBatch of 400 fresh addresses costs about 11M gas; anvil's blocks hold 30M. */
    private static final StaticGasProvider BIG_GAS =
            new StaticGasProvider(
                    BigInteger.valueOf(5_000_000_000L), BigInteger.valueOf(20_000_000));

    final Anvil anvil;
    final Deployment deployment;
    private final HttpService rpc;
    private final Random random;
    private final IdentityRegistry registry;
    private final MockStablecoin usd;

    private TestChain(Anvil anvil, long seed) throws Exception {
        this.anvil = anvil;
        this.deployment = LocalSystem.deploy(anvil);
        this.rpc = new HttpService(anvil.rpcUrl());
        this.random = new Random(seed);
        var admin = anvil.transactionManager(anvil.credentials(0));
        this.registry =
                IdentityRegistry.load(deployment.identityRegistry(), anvil.web3j(), admin, BIG_GAS);
        this.usd =
                MockStablecoin.load(deployment.stablecoin(), anvil.web3j(), admin, LocalSystem.GAS);
    }

    /** A fresh anvil with the protocol deployed and {@code rounds} rounds of activity on top. */
    static TestChain start(long seed, int rounds) throws Exception {
        return start(Anvil.builder(), seed, rounds);
    }

    static TestChain start(Anvil.Builder builder, long seed, int rounds) throws Exception {
        Anvil anvil = builder.start();
        try {
            TestChain chain = new TestChain(anvil, seed);
            for (int i = 0; i < rounds; i++) {
                chain.round();
            }
            return chain;
        } catch (Exception | Error e) {
            anvil.close();
            throw e;
        }
    }

    /** Some empty blocks, one dense block of identity logs, sometimes an mUSD mint. */
    void round() throws Exception {
        mineEmptyBlocks(1 + random.nextInt(60));
        registry.verifyBatch(freshAddresses(50 + random.nextInt(351))).send();
        if (random.nextInt(3) == 0) {
            usd.mint(deployment.accounts().lender(), LocalSystem.usd(1 + random.nextInt(1_000)))
                    .send();
        }
    }

    void mineEmptyBlocks(long count) throws IOException {
        VoidResponse answer =
                new Request<>(
                                "anvil_mine",
                                List.of(Numeric.encodeQuantity(BigInteger.valueOf(count))),
                                rpc,
                                VoidResponse.class)
                        .send();
        if (answer.hasError()) {
            throw new IllegalStateException("anvil_mine: " + answer.getError().getMessage());
        }
    }

    long head() throws IOException {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    String url() {
        return anvil.rpcUrl();
    }

    /** Every contract of the deployment that emits events. */
    List<String> contracts() {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                deployment.identityRegistry(),
                                deployment.stablecoin(),
                                deployment.oracle(),
                                deployment.lendingPool()));
        deployment.markets().values().forEach(m -> all.add(m.propertyToken()));
        return all;
    }

    /** The reference: one plain web3j eth_getLogs for {@code from..to}, no ChainRpc involved. */
    List<Log> directLogs(long from, long to, List<String> addresses) throws IOException {
        EthLog answer =
                anvil.web3j()
                        .ethGetLogs(
                                new EthFilter(
                                        DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                                        DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                                        addresses))
                        .send();
        if (answer.hasError()) {
            throw new IllegalStateException("eth_getLogs: " + answer.getError().getMessage());
        }
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : answer.getLogs()) {
            logs.add((Log) result.get());
        }
        return logs;
    }

    private List<String> freshAddresses(int count) {
        List<String> addresses = new ArrayList<>(count);
        byte[] bytes = new byte[20];
        for (int i = 0; i < count; i++) {
            random.nextBytes(bytes);
            bytes[0] |= 1; // never the zero address, which the registry rejects
            addresses.add(Numeric.toHexString(bytes));
        }
        return addresses;
    }

    @Override
    public void close() {
        anvil.close();
    }
}
