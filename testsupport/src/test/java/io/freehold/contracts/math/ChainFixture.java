package io.freehold.contracts.math;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.types.Uint256;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The local Freehold system on anvil, widened for the differential test: accounts 4 to 9 verified
 * and funded, a fourth market with supply and borrow caps and steeper rates, every approval given,
 * and block timestamps under the test's control.
 *
 * <p>Accounts: 0 admin (pool owner, issuer, oracle admin), lenders 1 and 8, borrowers 2, 4, 5, 6,
 * 7, liquidator 3 (also the receiver of seized collateral), 9 never acts.
 */
final class ChainFixture implements AutoCloseable {

    static final int ADMIN = 0;
    static final int LIQUIDATOR = 3;
    static final List<Integer> LENDERS = List.of(1, 8);
    static final List<Integer> BORROWERS = List.of(2, 4, 5, 6, 7);
    static final int ACCOUNTS = 10;

    /** The capped market's terms: LLTV 80%, max LTV 70%, 5% / 20% / 300% with the kink at 85%. */
    static final BigInteger CAPPED_SUPPLY_CAP = LocalSystem.usd(600_000);

    static final BigInteger CAPPED_BORROW_CAP = LocalSystem.usd(100_000);
    static final BigInteger CAPPED_MIN_LEFTOVER = LocalSystem.usd(1_000);

    /** 2026-01-01T00:00:00Z. */
    static final long GENESIS = 1_767_225_600L;

    static final long BLOCK_INTERVAL = 12;

    /** One market of the system. */
    record MarketRef(String name, String idHex, byte[] id, String token) {}

    /**
     * A sent transaction: its receipt and, if it failed, the revert data (selector and arguments,
     * 0x-hex) parsed from the node's revert reason, which is kept as it was said.
     */
    record Sent(TransactionReceipt receipt, Optional<String> revertData, String revertReason) {}

    final Anvil anvil;
    final Deployment deployment;
    final List<MarketRef> markets;
    private final HttpService rpc;
    private final Map<Integer, LendingPool> pools = new HashMap<>();
    private final Map<BigInteger, Long> blockTimestamps = new HashMap<>();

    private ChainFixture(Anvil anvil, Deployment deployment, List<MarketRef> markets) {
        this.anvil = anvil;
        this.deployment = deployment;
        this.markets = new ArrayList<>(markets);
        this.rpc = new HttpService(anvil.rpcUrl());
    }

    /**
     * Starts anvil with a fixed clock (genesis at {@link #GENESIS}, each block {@link
     * #BLOCK_INTERVAL} seconds after the last unless the test says otherwise), deploys and widens
     * the system. With the wall clock out of the picture, a seed replays the same run to the wei.
     */
    static ChainFixture start() throws Exception {
        Anvil anvil = Anvil.builder().arguments("--timestamp", Long.toString(GENESIS)).start();
        try {
            new Request<>(
                            "anvil_setBlockTimestampInterval",
                            List.of(BLOCK_INTERVAL),
                            new HttpService(anvil.rpcUrl()),
                            VoidResponse.class)
                    .send();
            Deployment deployment = LocalSystem.deploy(anvil);
            List<MarketRef> markets = new ArrayList<>();
            for (var entry : deployment.markets().entrySet()) {
                markets.add(
                        new MarketRef(
                                entry.getKey(),
                                entry.getValue().id(),
                                Numeric.hexStringToByteArray(entry.getValue().id()),
                                entry.getValue().propertyToken()));
            }
            ChainFixture fixture = new ChainFixture(anvil, deployment, markets);
            fixture.widen();
            return fixture;
        } catch (Exception | Error e) {
            anvil.close();
            throw e;
        }
    }

    /** Verifies and funds the extra accounts, lists the capped market and gives every approval. */
    private void widen() throws Exception {
        Web3j web3j = anvil.web3j();
        var asAdmin = anvil.transactionManager(credentials(ADMIN));
        IdentityRegistry.load(deployment.identityRegistry(), web3j, asAdmin, LocalSystem.GAS)
                .verifyBatch(
                        List.of(
                                address(4),
                                address(5),
                                address(6),
                                address(7),
                                address(8),
                                address(9)))
                .send();

        PropertyToken capped =
                PropertyToken.deploy(
                                web3j,
                                asAdmin,
                                LocalSystem.GAS,
                                "FH-TST-0001",
                                "Test 6-plex with caps",
                                "FHTST0001",
                                "US-MI",
                                deployment.identityRegistry(),
                                deployment.stablecoin(),
                                address(ADMIN))
                        .send();
        String cappedToken = capped.getContractAddress();
        AppraisalOracle oracle = oracle();
        oracle.configureFeed(
                        cappedToken, BigInteger.valueOf(30L * 24 * 3600), BigInteger.valueOf(1_000))
                .send();
        oracle.forceAppraisal(cappedToken, LocalSystem.priceOfCents(12_000), "initial appraisal")
                .send();
        LendingPool pool = pool(ADMIN);
        BigInteger lltv = wad("0.80");
        pool.createMarket(
                        new LendingPool.MarketParams(
                                cappedToken,
                                deployment.stablecoin(),
                                deployment.oracle(),
                                lltv,
                                wad("0.70"),
                                pool.maxLiquidationIncentive(lltv).send(),
                                wad("0.05"),
                                wad("0.20"),
                                wad("3.00"),
                                wad("0.85"),
                                CAPPED_SUPPLY_CAP,
                                CAPPED_BORROW_CAP,
                                CAPPED_MIN_LEFTOVER))
                .send();
        byte[] cappedId = pool.marketId(cappedToken, deployment.stablecoin()).send();
        markets.add(
                new MarketRef("FH-TST-0001", Numeric.toHexString(cappedId), cappedId, cappedToken));

        MockStablecoin usd = usd(ADMIN);
        for (int borrower : BORROWERS) {
            usd.mint(address(borrower), LocalSystem.usd(5_000_000)).send();
            usd(borrower).approve(deployment.lendingPool(), Uint256.MAX).send();
            for (MarketRef market : markets) {
                token(market.token(), ADMIN)
                        .mint(address(borrower), LocalSystem.tokens(1_000))
                        .send();
                token(market.token(), borrower)
                        .approve(deployment.lendingPool(), Uint256.MAX)
                        .send();
            }
        }
        for (int lender : LENDERS) {
            usd.mint(address(lender), LocalSystem.usd(50_000_000)).send();
            usd(lender).approve(deployment.lendingPool(), Uint256.MAX).send();
        }
        usd.mint(address(LIQUIDATOR), LocalSystem.usd(50_000_000)).send();
        usd(LIQUIDATOR).approve(deployment.lendingPool(), Uint256.MAX).send();
        usd.mint(address(ADMIN), LocalSystem.usd(10_000_000)).send();
        for (MarketRef market : markets) {
            usd.approve(market.token(), Uint256.MAX).send();
        }
    }

    Credentials credentials(int account) {
        return anvil.credentials(account);
    }

    String address(int account) {
        return credentials(account).getAddress();
    }

    LendingPool pool(int account) {
        return pools.computeIfAbsent(
                account,
                a ->
                        LendingPool.load(
                                deployment.lendingPool(),
                                anvil.web3j(),
                                anvil.transactionManager(credentials(a)),
                                LocalSystem.GAS));
    }

    PropertyToken token(String token, int account) {
        return PropertyToken.load(
                token,
                anvil.web3j(),
                anvil.transactionManager(credentials(account)),
                LocalSystem.GAS);
    }

    MockStablecoin usd(int account) {
        return MockStablecoin.load(
                deployment.stablecoin(),
                anvil.web3j(),
                anvil.transactionManager(credentials(account)),
                LocalSystem.GAS);
    }

    AppraisalOracle oracle() {
        return AppraisalOracle.load(
                deployment.oracle(),
                anvil.web3j(),
                anvil.transactionManager(credentials(ADMIN)),
                LocalSystem.GAS);
    }

    /** The newest block's number. */
    BigInteger head() throws IOException {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber();
    }

    /** A block's timestamp, in unix seconds. */
    long timestamp(BigInteger block) throws IOException {
        Long cached = blockTimestamps.get(block);
        if (cached != null) {
            return cached;
        }
        long timestamp =
                anvil.web3j()
                        .ethGetBlockByNumber(DefaultBlockParameter.valueOf(block), false)
                        .send()
                        .getBlock()
                        .getTimestamp()
                        .longValueExact();
        blockTimestamps.put(block, timestamp);
        return timestamp;
    }

    /** The next block anvil mines gets exactly this timestamp. */
    void setNextTimestamp(long timestamp) throws IOException {
        rpc("anvil_setNextBlockTimestamp", timestamp);
    }

    /** Mines an empty block at {@code timestamp}: time passes with no transaction. */
    BigInteger mineAt(long timestamp) throws IOException {
        setNextTimestamp(timestamp);
        rpc("evm_mine");
        return head();
    }

    /**
     * Sends a transaction mined at {@code timestamp}; a revert comes back as data, not as an
     * exception.
     *
     * <p>The revert data is read by replaying the failed transaction with {@code eth_call} at its
     * own block (the state after a reverted transaction is the state before it, at the same
     * timestamp): anvil's revert reason text prints the arguments as characters when they happen to
     * be ASCII.
     */
    Sent send(long timestamp, RemoteFunctionCall<TransactionReceipt> call) throws Exception {
        setNextTimestamp(timestamp);
        try {
            return new Sent(call.send(), Optional.empty(), "");
        } catch (TransactionException e) {
            TransactionReceipt receipt =
                    e.getTransactionReceipt()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "a failed transaction without a receipt", e));
            var tx =
                    anvil.web3j()
                            .ethGetTransactionByHash(receipt.getTransactionHash())
                            .send()
                            .getTransaction()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "no transaction "
                                                            + receipt.getTransactionHash()));
            EthCall replay =
                    anvil.web3j()
                            .ethCall(
                                    Transaction.createEthCallTransaction(
                                            tx.getFrom(), tx.getTo(), tx.getInput()),
                                    DefaultBlockParameter.valueOf(receipt.getBlockNumber()))
                            .send();
            String reason = String.valueOf(receipt.getRevertReason());
            if (!replay.hasError() || replay.getError().getData() == null) {
                throw new AssertionError(
                        "the replay of a failed transaction did not revert: " + reason, e);
            }
            String data = replay.getError().getData().replace("\"", "").toLowerCase();
            return new Sent(receipt, Optional.of(data), reason);
        }
    }

    /**
     * Every log the system's contracts emitted from the deployment's start block to {@code
     * toBlock}.
     */
    List<Log> logs(BigInteger toBlock) throws IOException {
        List<String> addresses =
                new ArrayList<>(List.of(deployment.lendingPool(), deployment.oracle()));
        markets.forEach(m -> addresses.add(m.token()));
        EthFilter filter =
                new EthFilter(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(deployment.startBlock())),
                        DefaultBlockParameter.valueOf(toBlock),
                        addresses);
        EthLog response = anvil.web3j().ethGetLogs(filter).send();
        if (response.hasError()) {
            throw new IOException("eth_getLogs: " + response.getError().getMessage());
        }
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : response.getLogs()) {
            logs.add((Log) result.get());
        }
        return logs;
    }

    private void rpc(String method, Object... params) throws IOException {
        VoidResponse response =
                new Request<>(method, List.of(params), rpc, VoidResponse.class).send();
        if (response.hasError()) {
            throw new IOException(method + ": " + response.getError().getMessage());
        }
    }

    @Override
    public void close() {
        anvil.close();
    }

    static BigInteger wad(String decimal) {
        return new java.math.BigDecimal(decimal)
                .multiply(new java.math.BigDecimal(FixedPoint.WAD))
                .toBigIntegerExact();
    }
}
