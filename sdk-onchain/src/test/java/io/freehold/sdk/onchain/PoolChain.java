package io.freehold.sdk.onchain;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The local Freehold system (LocalSystem: accounts 0 admin, 1 lender, 2 borrower with 400 tokens
 * locked against 12,000 mUSD in FH-DET-0412) on one anvil, reset between tests with
 * evm_snapshot/evm_revert so a test class pays for one chain and one deployment.
 */
public final class PoolChain implements AutoCloseable {

    public static final String PROPERTY = "FH-DET-0412";

    public final Anvil anvil;
    public final Deployment deployment;
    public final MarketId market;
    public final Address poolAddress;
    public final Address token;
    public final Address usd;
    public final Credentials admin;
    public final Credentials lender;
    public final Credentials borrower;
    private final HttpService http;
    private String snapshot;

    /** Raw JSON-RPC answers for anvil's own methods. */
    public static final class Raw extends Response<Object> {}

    private PoolChain(Anvil anvil, Deployment deployment, String property) {
        this.anvil = anvil;
        this.deployment = deployment;
        this.http = new HttpService(anvil.rpcUrl());
        this.market = MarketId.fromHex(deployment.market(property).id());
        this.poolAddress = address(deployment.lendingPool());
        this.token = address(deployment.market(property).propertyToken());
        this.usd = address(deployment.stablecoin());
        this.admin = anvil.credentials(0);
        this.lender = anvil.credentials(1);
        this.borrower = anvil.credentials(2);
    }

    public static PoolChain start() throws Exception {
        return start(LocalSystem.Options.defaults(), PROPERTY);
    }

    /**
     * The local system with its auction market ({@link LocalSystem#AUCTION_PROPERTY}: a one-day
     * cure window, hard floor 0.9), which {@link #market} and {@link #token} then name; the
     * borrower holds 1,000 of its tokens, none locked.
     */
    public static PoolChain startWithAuctionMarket() throws Exception {
        return start(LocalSystem.Options.withAuctionMarket(), LocalSystem.AUCTION_PROPERTY.id());
    }

    private static PoolChain start(LocalSystem.Options options, String property) throws Exception {
        Anvil anvil = Anvil.start();
        try {
            PoolChain chain = new PoolChain(anvil, LocalSystem.deploy(anvil, options), property);
            chain.snapshot = chain.call("evm_snapshot").toString();
            return chain;
        } catch (Exception | Error e) {
            anvil.close();
            throw e;
        }
    }

    /** Back to the state right after the deployment, mining on. */
    public void reset() throws Exception {
        call("evm_setAutomine", true);
        if (!Boolean.TRUE.equals(call("evm_revert", snapshot))) {
            throw new IllegalStateException("evm_revert " + snapshot + " failed");
        }
        snapshot = call("evm_snapshot").toString();
    }

    /** A FreeholdPool signing as {@code who}, polling receipts quickly (anvil mines at once). */
    public FreeholdPool pool(Credentials who) {
        return FreeholdPool.builder()
                .web3j(anvil.web3j())
                .signer(who)
                .pool(poolAddress)
                .chainId(anvil.chainId())
                .receiptPollInterval(Duration.ofMillis(20))
                .receiptTimeout(Duration.ofMinutes(2))
                .build();
    }

    public static Address address(String hex) {
        return Address.fromHex(hex.toLowerCase(java.util.Locale.ROOT));
    }

    public static Address address(Credentials who) {
        return address(who.getAddress());
    }

    // ---- the contracts, through the generated wrappers
    // -----------------------------------------------

    public LendingPool lendingPool() {
        return LocalSystem.pool(anvil, deployment, admin);
    }

    /** The pool's {@code position(id, account)} view at {@code block}. */
    public LendingPool.PositionView view(Address who, long block) throws Exception {
        LendingPool p = lendingPool();
        p.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return p.position(market.toBytes(), who.toLowerCaseHex()).send();
    }

    public LendingPool.PositionView view(Address who) throws Exception {
        return view(who, head());
    }

    public LendingPool.Position shares(Address who) throws Exception {
        return lendingPool().positionShares(market.toBytes(), who.toLowerCaseHex()).send();
    }

    public PropertyToken propertyToken(Credentials as) {
        return PropertyToken.load(
                token.toLowerCaseHex(),
                anvil.web3j(),
                anvil.transactionManager(as),
                LocalSystem.GAS);
    }

    public MockStablecoin stablecoin(Credentials as) {
        return MockStablecoin.load(
                usd.toLowerCaseHex(), anvil.web3j(), anvil.transactionManager(as), LocalSystem.GAS);
    }

    public IdentityRegistry registry() {
        return IdentityRegistry.load(
                deployment.identityRegistry(),
                anvil.web3j(),
                anvil.transactionManager(admin),
                LocalSystem.GAS);
    }

    public AppraisalOracle oracle() {
        return AppraisalOracle.load(
                deployment.oracle(),
                anvil.web3j(),
                anvil.transactionManager(admin),
                LocalSystem.GAS);
    }

    /** The admin forces a new appraisal (×1e36) at once. */
    public void forcePrice(BigInteger price) throws Exception {
        oracle().forceAppraisal(token.toLowerCaseHex(), price, "test: new appraisal").send();
    }

    /**
     * Verifies {@code who} and gives it {@code tokens} whole property tokens and 1 ETH is already
     * there.
     */
    public void fundBorrower(Credentials who, BigInteger baseUnits) throws Exception {
        registry().verifyBatch(List.of(who.getAddress())).send();
        propertyToken(admin).transfer(who.getAddress(), baseUnits).send();
    }

    // ---- the chain
    // ----------------------------------------------------------------------------------

    public long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    public long timestamp(long block) throws Exception {
        return anvil.web3j()
                .ethGetBlockByNumber(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false)
                .send()
                .getBlock()
                .getTimestamp()
                .longValueExact();
    }

    public long nonce(Credentials who) throws Exception {
        return anvil.web3j()
                .ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount()
                .longValueExact();
    }

    /** Moves the clock and mines a block at the new time. */
    public void advance(Duration d) throws Exception {
        call("evm_increaseTime", d.toSeconds());
        call("evm_mine");
    }

    /** The next block is mined at exactly {@code timestamp}. */
    public void nextBlockAt(long timestamp) throws Exception {
        call("evm_setNextBlockTimestamp", Numeric.encodeQuantity(BigInteger.valueOf(timestamp)));
    }

    public Object call(String method, Object... params) throws Exception {
        Raw answer = new Request<>(method, List.of(params), http, Raw.class).send();
        if (answer.hasError()) {
            throw new IllegalStateException(method + ": " + answer.getError().getMessage());
        }
        return answer.getResult();
    }

    @Override
    public void close() {
        anvil.close();
    }
}
