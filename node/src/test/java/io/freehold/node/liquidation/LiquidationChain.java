package io.freehold.node.liquidation;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.liquidation.decide.LiquidateEvents;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The local Freehold system on one anvil, set up for liquidations and reset between tests with
 * {@code evm_snapshot}/{@code evm_revert}, so a test class pays for one anvil and one deployment.
 *
 * <p>Accounts: 0 admin (agent, appraiser), 2 and 4 borrowers in FH-DET-0412 (400 tokens against
 * 12,000 mUSD, 500 against 14,000), 3 the liquidator (the node's key; approved the pool for
 * everything), 5 a rival liquidator (verified, funded, approved). At $36 per token borrower 2 is at
 * health 0.90 (closed whole), borrower 4 at 0.964 (half).
 */
public final class LiquidationChain implements AutoCloseable {

    static final String PROPERTY = "FH-DET-0412";
    public static final long CRASH_CENTS = 3_600;
    public static final BigInteger GWEI = BigInteger.TEN.pow(9);

    /** anvil's default block gas limit. */
    static final long BLOCK_GAS_LIMIT = 30_000_000;

    /** 0.01 gwei: about where anvil's base fee settles after the deployment's blocks. */
    static final BigInteger BASE_FEE = BigInteger.valueOf(10_000_000);

    /** The gas limit of the rival's liquidations: enough, and below the node's 500,000. */
    public static final long RIVAL_GAS_LIMIT = 350_000;

    public final Anvil anvil;
    public final Deployment deployment;
    public final MarketId market;
    public final Address pool;
    public final Address token;
    public final Credentials admin;
    public final Credentials liquidator;
    public final Credentials rival;
    public final Address borrower;
    public final Address secondBorrower;

    /**
     * With {@link #startWithAuctionMarket()}: the auction market (cure window of a day, hard floor
     * 0.9), where the borrower holds 100 tokens against as much as it may borrow; else null.
     */
    public final MarketId auctionMarket;

    public final Address auctionToken;
    private final HttpService http;
    private String snapshot;

    /** Raw JSON-RPC answers (maps, lists, strings) for anvil's own methods. */
    static final class Raw extends Response<Object> {}

    private LiquidationChain(Anvil anvil, Deployment deployment) {
        this.anvil = anvil;
        this.deployment = deployment;
        this.http = new HttpService(anvil.rpcUrl());
        this.market = MarketId.of(deployment.market(PROPERTY).id());
        this.pool = Address.of(deployment.lendingPool());
        this.token = Address.of(deployment.market(PROPERTY).propertyToken());
        this.admin = anvil.credentials(0);
        this.liquidator = anvil.credentials(3);
        this.rival = anvil.credentials(5);
        this.borrower = Address.of(anvil.credentials(2).getAddress());
        this.secondBorrower = Address.of(anvil.credentials(4).getAddress());
        var auctionEntry = deployment.markets().get(LocalSystem.AUCTION_PROPERTY.id());
        this.auctionMarket = auctionEntry == null ? null : MarketId.of(auctionEntry.id());
        this.auctionToken = auctionEntry == null ? null : Address.of(auctionEntry.propertyToken());
    }

    public static LiquidationChain start() throws Exception {
        return start(LocalSystem.Options.defaults());
    }

    /** As {@link #start()}, with the auction market ({@link #auctionMarket}) and its position. */
    public static LiquidationChain startWithAuctionMarket() throws Exception {
        return start(LocalSystem.Options.withAuctionMarket());
    }

    private static LiquidationChain start(LocalSystem.Options options) throws Exception {
        Anvil anvil = Anvil.builder().accounts(10).start();
        try {
            LiquidationChain chain =
                    new LiquidationChain(anvil, LocalSystem.deploy(anvil, options));
            chain.setUp();
            return chain;
        } catch (Exception | Error e) {
            anvil.close();
            throw e;
        }
    }

    private void setUp() throws Exception {
        Credentials second = anvil.credentials(4);
        registry(admin).verifyBatch(List.of(second.getAddress(), rival.getAddress())).send();
        PropertyToken.load(
                        token.hex(),
                        anvil.web3j(),
                        anvil.transactionManager(admin),
                        LocalSystem.GAS)
                .transfer(second.getAddress(), LocalSystem.tokens(500))
                .send();
        PropertyToken.load(
                        token.hex(),
                        anvil.web3j(),
                        anvil.transactionManager(second),
                        LocalSystem.GAS)
                .approve(pool.hex(), LocalSystem.tokens(500))
                .send();
        pool(second).supplyCollateral(id(), LocalSystem.tokens(500), second.getAddress()).send();
        pool(second).borrow(id(), LocalSystem.usd(14_000), second.getAddress()).send();
        usd(admin).mint(rival.getAddress(), LocalSystem.usd(100_000)).send();
        usd(rival).approve(pool.hex(), Uint256.MAX).send();
        usd(liquidator).approve(pool.hex(), Uint256.MAX).send();
        if (auctionMarket != null) {
            Credentials owner = anvil.credentials(2);
            PropertyToken.load(
                            auctionToken.hex(),
                            anvil.web3j(),
                            anvil.transactionManager(owner),
                            LocalSystem.GAS)
                    .approve(pool.hex(), LocalSystem.tokens(100))
                    .send();
            byte[] id = Numeric.hexStringToByteArray(auctionMarket.hex());
            pool(owner).supplyCollateral(id, LocalSystem.tokens(100), owner.getAddress()).send();
            BigInteger max = pool(owner).position(id, owner.getAddress()).send().maxBorrowable;
            pool(owner).borrow(id, max, owner.getAddress()).send();
        }
        snapshot = call("evm_snapshot").toString();
    }

    /**
     * Back to the state right after set-up, mining on. A snapshot holds the state, not the miner's
     * settings: the block gas limit and the base fee a test may have changed are set back by hand.
     */
    public void reset() throws Exception {
        call("evm_setAutomine", true);
        if (!Boolean.TRUE.equals(call("evm_revert", snapshot))) {
            throw new IllegalStateException("evm_revert " + snapshot + " failed");
        }
        snapshot = call("evm_snapshot").toString();
        blockGasLimit(BLOCK_GAS_LIMIT);
        nextBaseFee(BASE_FEE);
    }

    // ---- the protocol
    // -------------------------------------------------------------------------------

    /**
     * The admin forces the appraisal down (a fire, a condemned building): the block it was mined
     * in, from its receipt (not the head read afterwards: a node's liquidation may be mined on top
     * of it in between).
     */
    public long crashPrice(long cents) throws Exception {
        return oracle().forceAppraisal(
                        token.hex(),
                        LocalSystem.priceOfCents(cents),
                        "test: comparable sold far below")
                .send()
                .getBlockNumber()
                .longValueExact();
    }

    public long crashPrice() throws Exception {
        return crashPrice(CRASH_CENTS);
    }

    /**
     * Forces the auction market's appraisal to what puts the borrower's health at about {@code
     * health} (WAD); the new price.
     */
    public BigInteger appraiseAuctionTo(BigInteger health) throws Exception {
        byte[] id = Numeric.hexStringToByteArray(auctionMarket.hex());
        BigInteger hf = pool(admin).position(id, borrower.hex()).send().healthFactor;
        BigInteger now = oracle().latestPrice(auctionToken.hex()).send().component1();
        BigInteger price = now.multiply(health).divide(hf);
        oracle().forceAppraisal(auctionToken.hex(), price, "test: a comparable sold lower").send();
        return price;
    }

    /** A fresh appraisal of the auction token at {@code price} (a new appraisal number). */
    public void reappraiseAuction(BigInteger price) throws Exception {
        oracle().submitAppraisal(auctionToken.hex(), price).send();
    }

    /** The auction market's DutchAuction, sending as {@code as}. */
    public io.freehold.contracts.generated.DutchAuction auction(Credentials as) {
        return LocalSystem.auction(anvil, deployment, as);
    }

    /** The timestamp of block {@code number}. */
    public long timestamp(long number) throws Exception {
        return anvil.web3j()
                .ethGetBlockByNumber(
                        org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                                BigInteger.valueOf(number)),
                        false)
                .send()
                .getBlock()
                .getTimestamp()
                .longValueExact();
    }

    /** The next block mined gets timestamp {@code seconds} (anvil allows its parent's too). */
    public void nextTimestamp(long seconds) throws Exception {
        call("evm_setNextBlockTimestamp", seconds);
    }

    /**
     * As {@link #crashPrice()} on a chain that does not mine by itself ({@code automine(false)}):
     * the fall is sent, then mined by hand in a block of its own, and nothing after it is mined
     * until the caller says so. The block it was mined in.
     */
    public long crashPriceMinedByHand() throws Exception {
        CompletableFuture<Long> crash =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return crashPrice();
                            } catch (Exception e) {
                                throw new CompletionException(e);
                            }
                        });
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (pending().isEmpty()) {
            if (crash.isDone() || System.nanoTime() > giveUp) {
                crash.join(); // its failure, if it failed
                throw new IllegalStateException("the appraisal's fall never reached the pool");
            }
            Thread.sleep(20);
        }
        mine();
        return crash.get(2, TimeUnit.MINUTES);
    }

    /**
     * The settings of a whole node on this chain that liquidates with the liquidator's key (execute
     * mode, from a keystore in {@code dir}), its H2 store in {@code dir}: 4 confirmations, 100 ms
     * polls, the HTTP port bound by the kernel. Mutable: a test adds or overrides what it is about.
     */
    public Map<String, Object> executingNode(Path dir) throws Exception {
        Path file = dir.resolve("deployment.json");
        deployment.write(file);
        Map<String, Object> props = new HashMap<>();
        props.put("freehold.node.chain-id", anvil.chainId());
        props.put("freehold.node.deployment", file.toString());
        props.put("freehold.node.confirmations", 4);
        props.put("freehold.node.poll-interval", "100ms");
        props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
        props.put("freehold.node.liquidator.poll-interval", "100ms");
        props.put("freehold.node.liquidator.mode", "execute");
        props.put("freehold.node.liquidator.priority-fee-per-gas", "1000000000");
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        props.put("micronaut.server.port", -1);
        String keystore =
                WalletUtils.generateWalletFile(
                        "liquidator password", liquidator.getEcKeyPair(), dir.toFile(), false);
        Path password =
                Files.writeString(dir.resolve("keystore-password"), "liquidator password\n");
        props.put("freehold.node.liquidator.keystore", dir.resolve(keystore).toString());
        props.put("freehold.node.liquidator.keystore-password-file", password.toString());
        return props;
    }

    /**
     * Candidates as a risk engine would hand them over: positions the chain's view calls
     * liquidatable.
     */
    public List<LiquidationCandidate> liquidatable(long unhealthySince) throws Exception {
        List<LiquidationCandidate> found = new ArrayList<>();
        long now = head();
        for (Address b : List.of(borrower, secondBorrower)) {
            if (pool(admin).isLiquidatable(id(), b.hex()).send()) {
                found.add(new LiquidationCandidate(market, b, unhealthySince, now));
            }
        }
        return found;
    }

    /**
     * A candidate regardless of the chain's view: what a node acting on its memory would hand over.
     */
    public LiquidationCandidate candidate(Address who, long unhealthySince) throws Exception {
        return new LiquidationCandidate(
                market, who, unhealthySince, Math.max(unhealthySince, head()));
    }

    public LendingPool.Position shares(Address who) throws Exception {
        return pool(admin).positionShares(id(), who.hex()).send();
    }

    public LendingPool.PositionView view(Address who) throws Exception {
        return pool(admin).position(id(), who.hex()).send();
    }

    /** Every {@code Liquidate} event of {@code who} since the deployment. */
    public List<LiquidateEvents.Liquidated> liquidations(Address who) {
        try (LiquidatorRpc rpc = rpc()) {
            return LiquidateEvents.of(rpc, pool, market, who, deployment.startBlock(), head());
        }
    }

    /** The rival liquidates {@code who} for the most allowed, mined at once (automine). */
    public void rivalLiquidates(Address who) throws Exception {
        pool(rival).liquidate(id(), who.hex(), Uint256.MAX, rival.getAddress()).send();
    }

    /** The rival's liquidation signed and sent without waiting: for blocks mined by hand. */
    public String rivalSendsLiquidation(Address who, BigInteger tip, BigInteger maxFee)
            throws Exception {
        String data =
                pool(rival)
                        .liquidate(id(), who.hex(), Uint256.MAX, rival.getAddress())
                        .encodeFunctionCall();
        long nonce =
                anvil.web3j()
                        .ethGetTransactionCount(
                                rival.getAddress(), DefaultBlockParameterName.PENDING)
                        .send()
                        .getTransactionCount()
                        .longValueExact();
        RawTransaction tx =
                RawTransaction.createTransaction(
                        anvil.chainId(),
                        BigInteger.valueOf(nonce),
                        BigInteger.valueOf(RIVAL_GAS_LIMIT),
                        pool.hex(),
                        BigInteger.ZERO,
                        data,
                        tip,
                        maxFee);
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, rival));
        var answer = anvil.web3j().ethSendRawTransaction(raw).send();
        if (answer.hasError()) {
            throw new IllegalStateException(
                    "rival's liquidation refused: " + answer.getError().getMessage());
        }
        return Hash.sha3(raw);
    }

    public IdentityRegistry registry(Credentials as) {
        return IdentityRegistry.load(
                deployment.identityRegistry(),
                anvil.web3j(),
                anvil.transactionManager(as),
                LocalSystem.GAS);
    }

    public PropertyToken propertyToken(Credentials as) {
        return PropertyToken.load(
                token.hex(), anvil.web3j(), anvil.transactionManager(as), LocalSystem.GAS);
    }

    public MockStablecoin usd(Credentials as) {
        return MockStablecoin.load(
                deployment.stablecoin(),
                anvil.web3j(),
                anvil.transactionManager(as),
                LocalSystem.GAS);
    }

    AppraisalOracle oracle() {
        return AppraisalOracle.load(
                deployment.oracle(),
                anvil.web3j(),
                anvil.transactionManager(admin),
                LocalSystem.GAS);
    }

    public LendingPool pool(Credentials as) {
        return LocalSystem.pool(anvil, deployment, as);
    }

    public byte[] id() {
        return Numeric.hexStringToByteArray(market.hex());
    }

    // ---- the chain
    // ----------------------------------------------------------------------------------

    public long head() {
        try {
            return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Transactions the account has had mined. */
    public long minedNonce(Credentials who) throws Exception {
        return anvil.web3j()
                .ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount()
                .longValueExact();
    }

    public void automine(boolean on) throws Exception {
        call("evm_setAutomine", on);
    }

    public void mine() throws Exception {
        call("evm_mine");
    }

    /** Moves the clock and mines a block at the new time. */
    public void advance(Duration d) throws Exception {
        call("evm_increaseTime", d.toSeconds());
        mine();
    }

    /**
     * Blocks hold at most {@code gas}: a pending transaction with a higher gas limit stays in the
     * pool, unmined and not dropped, while smaller ones are mined around it.
     */
    public void blockGasLimit(long gas) throws Exception {
        call("anvil_setBlockGasLimit", Numeric.encodeQuantity(BigInteger.valueOf(gas)));
    }

    void nextBaseFee(BigInteger wei) throws Exception {
        call("anvil_setNextBlockBaseFeePerGas", Numeric.encodeQuantity(wei));
    }

    /** Hashes of the transactions waiting in anvil's pool. */
    public List<String> pending() throws Exception {
        return pool("pending", "queued");
    }

    /** Hashes of the transactions in anvil's pool that wait behind a missing nonce. */
    public List<String> queued() throws Exception {
        return pool("queued");
    }

    /** What {@code eth_getTransactionCount} says for {@code tag} ("latest", "pending"). */
    public long transactionCount(Credentials who, DefaultBlockParameterName tag) throws Exception {
        return anvil.web3j()
                .ethGetTransactionCount(who.getAddress(), tag)
                .send()
                .getTransactionCount()
                .longValueExact();
    }

    /** Drops the newest {@code depth} blocks (their transactions leave the chain and the pool). */
    public void rollback(long depth) throws Exception {
        call("anvil_rollback", depth);
    }

    @SuppressWarnings("unchecked")
    private List<String> pool(String... sections) throws Exception {
        Map<String, Object> content = (Map<String, Object>) call("txpool_content");
        List<String> hashes = new ArrayList<>();
        for (String section : sections) {
            Map<String, Map<String, Map<String, Object>>> bySender =
                    (Map<String, Map<String, Map<String, Object>>>)
                            content.getOrDefault(section, Map.of());
            bySender.values()
                    .forEach(
                            byNonce ->
                                    byNonce.values()
                                            .forEach(tx -> hashes.add((String) tx.get("hash"))));
        }
        return hashes;
    }

    Object call(String method, Object... params) throws Exception {
        Raw answer = new Request<>(method, List.of(params), http, Raw.class).send();
        if (answer.hasError()) {
            throw new IllegalStateException(method + ": " + answer.getError().getMessage());
        }
        return answer.getResult();
    }

    /** A client for the executor, as the node builds it. */
    public LiquidatorRpc rpc() {
        return new LiquidatorRpc(
                List.of(anvil.rpcUrl()), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        anvil.close();
    }
}
