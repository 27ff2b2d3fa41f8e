package io.freehold.node.aave;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.AaveMarket;
import io.freehold.aave.local.AaveMarketCache;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.aave.AccountData;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * The local Aave v3 market on a fresh anvil (loaded from the dump the first test made) and what the
 * tests do on it: the pool's own calls, as users make them, and its {@code getUserAccountData} at a
 * block, the figure the node must equal.
 */
final class AaveChain implements AutoCloseable {

    /** The module's target/, so {@code mvn clean} drops it. */
    static final Path CACHE = Path.of("target", "aave-local-cache");

    static final BigInteger USDC = BigInteger.TEN.pow(6);
    static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    final Anvil anvil;
    final AaveMarket market;
    final ChainWriter admin;
    private final HttpService http;

    /** How a test's market is put on its anvil. */
    @FunctionalInterface
    interface Deployment {
        AaveMarket deploy(Anvil anvil) throws Exception;
    }

    AaveChain() throws Exception {
        this(anvil -> AaveMarketCache.deployOrLoad(anvil, CACHE));
    }

    /** A fresh anvil with the market {@code deployment} puts there (e.g. on another token). */
    AaveChain(Deployment deployment) throws Exception {
        this.anvil = Anvil.builder().accounts(10).start();
        try {
            this.market = deployment.deploy(anvil);
            this.admin = new ChainWriter(anvil, anvil.credentials(0));
            this.http = new HttpService(anvil.rpcUrl());
        } catch (Exception e) {
            anvil.close();
            throw e;
        }
    }

    /**
     * A node following this market: an H2 store under {@code dir}, gRPC on a free port, no HTTP
     * server, a 20 ms poll, no practical rate limit. Mutable: a test adds what it is about.
     */
    Map<String, Object> nodeProperties(Path dir) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("grpc.server.port", 0);
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        props.put("freehold.node.chain-id", anvil.chainId());
        props.put("freehold.node.protocol", "aave-v3");
        props.put("freehold.node.aave.addresses-provider", market.addressesProvider());
        props.put("freehold.node.aave.start-block", market.startBlock());
        props.put("freehold.node.poll-interval", "20ms");
        props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
        // The tests poll the API while they wait and read every account after each step: above
        // the default 50 calls a second, which they do not test (ApiGuardTest does).
        props.put("freehold.node.api.requests-per-second", 1_000_000);
        return props;
    }

    ChainWriter account(int index) {
        return new ChainWriter(anvil, anvil.credentials(index));
    }

    String usd() {
        return market.stablecoin().asset();
    }

    String property() {
        return market.propertyToken().asset();
    }

    /** Mints {@code who} both assets and approves the pool for them. */
    void fund(ChainWriter who) throws Exception {
        who.send(usd(), "mint", addr(who.address()), uint(USDC.multiply(BigInteger.TEN.pow(9))));
        who.send(
                property(),
                "mint",
                addr(who.address()),
                uint(TOKEN.multiply(BigInteger.TEN.pow(6))));
        who.send(usd(), "approve", addr(market.pool()), uint(MAX));
        who.send(property(), "approve", addr(market.pool()), uint(MAX));
    }

    void supply(ChainWriter who, String asset, BigInteger amount) throws Exception {
        who.send(
                market.pool(),
                "supply",
                addr(asset),
                uint(amount),
                addr(who.address()),
                new Uint16(0));
    }

    void borrow(ChainWriter who, BigInteger amount) throws Exception {
        who.send(
                market.pool(),
                "borrow",
                addr(usd()),
                uint(amount),
                uint(BigInteger.TWO),
                new Uint16(0),
                addr(who.address()));
    }

    /**
     * The tests' usual loan: {@code lender} supplies {@code lenderUsdc} whole USDC; {@code
     * borrower} supplies {@code propertyTokens} whole property tokens and borrows {@code percent} %
     * of what the pool then lends it ({@link #borrowShare}).
     */
    void openLoan(
            ChainWriter lender,
            long lenderUsdc,
            ChainWriter borrower,
            long propertyTokens,
            long percent)
            throws Exception {
        supply(lender, usd(), USDC.multiply(BigInteger.valueOf(lenderUsdc)));
        supply(borrower, property(), TOKEN.multiply(BigInteger.valueOf(propertyTokens)));
        borrowShare(borrower, percent);
    }

    /**
     * {@code who} borrows {@code percent} % of what the pool lends it now, in USDC. {@code
     * availableBorrowsBase} is in the oracle's base currency (1e8 = 1 USD); read at $1 a USDC it is
     * USDC base units (1e6) times 100, hence percent / 10,000.
     */
    void borrowShare(ChainWriter who, long percent) throws Exception {
        BigInteger available = accountData(who.address(), head()).availableBorrowsBase();
        borrow(
                who,
                available.multiply(BigInteger.valueOf(percent)).divide(BigInteger.valueOf(10_000)));
    }

    void repay(ChainWriter who, BigInteger amount) throws Exception {
        who.send(
                market.pool(),
                "repay",
                addr(usd()),
                uint(amount),
                uint(BigInteger.TWO),
                addr(who.address()));
    }

    void withdraw(ChainWriter who, String asset, BigInteger amount) throws Exception {
        who.send(market.pool(), "withdraw", addr(asset), uint(amount), addr(who.address()));
    }

    void setPropertyPrice(BigInteger price) throws Exception {
        AaveLocalMarket.setPrice(admin, market, property(), price);
    }

    /** {@code Pool.getUserAccountData(account)} at {@code block}. */
    AccountData accountData(String account, long block) throws Exception {
        return AaveLocalMarket.accountData(admin, market, account, BigInteger.valueOf(block));
    }

    /** A view of one address argument returning a uint256, at {@code block}. */
    BigInteger uintCall(String to, String function, String arg, long block) throws Exception {
        return admin.uintView(to, function, arg, BigInteger.valueOf(block));
    }

    long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    /** Moves the chain's clock (interest accrues) and mines a block. */
    void passTime(long seconds) throws Exception {
        rpc("evm_increaseTime", seconds);
        rpc("evm_mine");
    }

    Object snapshot() throws Exception {
        return rpc("evm_snapshot");
    }

    void revert(Object snapshot) throws Exception {
        rpc("evm_revert", snapshot);
    }

    static final class Raw extends Response<Object> {}

    Object rpc(String method, Object... params) throws Exception {
        Raw answer = new Request<>(method, List.of(params), http, Raw.class).send();
        if (answer.hasError()) {
            throw new IllegalStateException(method + ": " + answer.getError().getMessage());
        }
        return answer.getResult();
    }

    static Address addr(String hex) {
        return new Address(hex);
    }

    static Uint256 uint(BigInteger value) {
        return new Uint256(value);
    }

    @Override
    public void close() {
        anvil.close();
    }
}
