package io.freehold.sdk.onchain;

import io.freehold.contracts.bindings.AbiEvent;
import io.freehold.contracts.bindings.AuctionEvents;
import io.freehold.contracts.bindings.AuctionViews;
import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.bindings.PoolEvents;
import io.freehold.contracts.bindings.PoolViews;
import io.freehold.contracts.bindings.TokenViews;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PoolRent;
import io.freehold.contracts.math.Previews;
import io.freehold.sdk.TokenAmount;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * What a borrower or lender does against a deployed Freehold {@code LendingPool}, signed by one
 * key: lock and unlock property tokens, borrow and repay, supply and withdraw stablecoin. Each call
 * approves the pool first when the token allowance is short, simulates the transaction ({@code
 * eth_call}) so that a refusal costs no gas, sends it with EIP-1559 fees, waits for the receipt and
 * returns what the contract reported ({@link PoolReceipt}). A refusal, simulated or mined, is a
 * {@link ContractRevertException} with the decoded reason; a chain that does not answer is an
 * {@link OnchainException}.
 *
 * <p>On markets with a cure window a keeper flags an unhealthy position ({@link #flag}) and the
 * pool accepts it only once the window is over; auction markets sell collateral through their Dutch
 * auction, which {@link #auction(MarketId)} drives ({@link FreeholdAuction}: start, restart, take).
 *
 * <p>Calls are blocking and one at a time per instance (each waits for its receipt before the next
 * signs), which keeps the nonce right for one signer. Amounts must carry their token's decimals (6
 * for the local stablecoin, 18 for property tokens); a mismatch is refused before anything is sent.
 *
 * <pre>{@code
 * try (FreeholdPool pool = FreeholdPool.connect("http://127.0.0.1:8545", Credentials.create(key),
 *         Address.fromHex("0x9fE4...6e0"), 31337)) {
 *     pool.lockCollateral(marketId, TokenAmount.parse("400000000000000000000", 18));  // 400 tokens
 *     PoolReceipt r = pool.borrow(marketId, TokenAmount.parse("12000000000", 6));     // 12,000 USD
 *     PositionMath now = PositionMath.of(pool.positionInputs(marketId, pool.account()));
 * }
 * }</pre>
 */
public final class FreeholdPool implements AutoCloseable {

    private final Web3j web3j;
    private final boolean ownsWeb3j;
    private final Address pool;
    private final JsonRpc rpc;
    private final TransactionSender sender;
    private final PoolReader reader;
    private final LendingPool encoder;
    private final Map<MarketId, MarketTerms> terms = new ConcurrentHashMap<>();
    private final Map<MarketId, LiquidationTerms> liquidationTerms = new ConcurrentHashMap<>();
    private final Map<Address, FreeholdAuction> auctions = new ConcurrentHashMap<>();

    private FreeholdPool(Builder b, Web3j web3j, boolean ownsWeb3j) {
        this.web3j = web3j;
        this.ownsWeb3j = ownsWeb3j;
        this.pool = b.pool;
        this.rpc = new JsonRpc(web3j);
        this.sender =
                new TransactionSender(
                        rpc, b.signer, b.chainId, b.receiptPollInterval, b.receiptTimeout);
        this.reader = new PoolReader(rpc, pool, sender.from());
        // Only encodes calldata: the transactions themselves go through the sender.
        this.encoder =
                LendingPool.load(
                        pool.toLowerCaseHex(),
                        web3j,
                        new ReadonlyTransactionManager(web3j, sender.from().toLowerCaseHex()),
                        new DefaultGasProvider());
    }

    /**
     * A pool at {@code pool} on the chain behind {@code rpcUrl}, signing as {@code signer}; closing
     * it closes its connection.
     *
     * <pre>{@code
     * try (FreeholdPool pool = FreeholdPool.connect(rpcUrl, credentials, poolAddress, 1)) { ... }
     * }</pre>
     *
     * @throws OnchainException if the endpoint does not answer or serves another chain than {@code
     *     chainId}
     */
    public static FreeholdPool connect(
            String rpcUrl, Credentials signer, Address pool, long chainId) {
        return builder().rpcUrl(rpcUrl).signer(signer).pool(pool).chainId(chainId).build();
    }

    /**
     * A pool on a {@link Web3j} the caller owns (and closes); closing this pool leaves it open.
     *
     * <pre>{@code
     * FreeholdPool pool = FreeholdPool.connect(web3j, credentials, poolAddress, 31337);
     * }</pre>
     */
    public static FreeholdPool connect(
            Web3j web3j, Credentials signer, Address pool, long chainId) {
        return builder().web3j(web3j).signer(signer).pool(pool).chainId(chainId).build();
    }

    /**
     * Every option, for receipt polling other than the defaults (every second, for up to five
     * minutes).
     *
     * <pre>{@code
     * FreeholdPool pool = FreeholdPool.builder().rpcUrl(url).signer(credentials).pool(poolAddress)
     *         .chainId(31337).receiptPollInterval(Duration.ofMillis(50)).build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The signer's address: the account whose position every action changes. */
    public Address account() {
        return sender.from();
    }

    /** The pool contract's address. */
    public Address poolAddress() {
        return pool;
    }

    /**
     * The Dutch auction that sells {@code marketId}'s collateral (the market's liquidation terms
     * name it): start and restart auctions, take lots, read auctions and prices. It signs with this
     * pool's key and shares its connection and its one-at-a-time sending, so the nonce stays right
     * across both; every auction market of a pool usually shares one auction, and so one instance.
     *
     * <pre>{@code
     * FreeholdAuction auction = pool.auction(marketId);
     * AuctionStartReceipt started = auction.startAuction(marketId, borrower);
     * TakeReceipt r = auction.take(started.auctionId(), TokenAmount.parse("50000000000000000000", 18), maxPrice);
     * }</pre>
     *
     * @throws IllegalArgumentException if the market liquidates by its fixed incentive
     */
    public FreeholdAuction auction(MarketId marketId) {
        LiquidationTerms t = liquidationTerms(marketId);
        if (!t.isAuction()) {
            throw new IllegalArgumentException(
                    "market "
                            + marketId
                            + " liquidates by its fixed incentive (liquidate), not by auction");
        }
        return auctions.computeIfAbsent(
                t.auction(), a -> new FreeholdAuction(this, a, rpc, sender, reader));
    }

    // ------------------------------------------------------------------ borrowers

    /**
     * Locks {@code amount} of the market's property token as the signer's collateral ({@code
     * supplyCollateral}), approving the pool for exactly that much first if the allowance is short.
     * The property token only moves from a verified, unfrozen holder while unpaused: its refusal
     * comes back as {@link ContractError#NOT_VERIFIED}, {@link ContractError#ACCOUNT_FROZEN} or
     * {@link ContractError#TOKEN_PAUSED}, after the approval (the pool's own checks come before
     * it).
     *
     * <pre>{@code
     * PoolReceipt r = pool.lockCollateral(marketId, TokenAmount.parse("400000000000000000000", 18));
     * r.assets();  // 400 tokens locked
     * }</pre>
     */
    public PoolReceipt lockCollateral(MarketId marketId, TokenAmount amount) {
        MarketTerms t = terms(marketId);
        Address token = t.collateralToken();
        checkDecimals(token, amount, "collateral");
        String data =
                encoder.supplyCollateral(
                                marketId.toBytes(), amount.baseUnits(), account().toLowerCaseHex())
                        .encodeFunctionCall();
        Optional<String> approval =
                ensureAllowance(PoolAction.SUPPLY_COLLATERAL, token, amount.baseUnits(), data);
        TransactionSender.Mined mined =
                sender.send(PoolAction.SUPPLY_COLLATERAL.functionName(), pool, data);
        BigInteger assets = only(PoolEvents.SUPPLY_COLLATERAL, mined).assets();
        return receipt(
                PoolAction.SUPPLY_COLLATERAL,
                marketId,
                mined,
                TokenAmount.of(assets, amount.decimals()),
                BigInteger.ZERO,
                approval);
    }

    /**
     * Unlocks {@code amount} of the signer's collateral back to the signer ({@code
     * withdrawCollateral}). With debt the price must be fresh ({@link ContractError#STALE_PRICE})
     * and the debt within max LTV afterwards ({@link ContractError#MAX_LTV_EXCEEDED}).
     *
     * <pre>{@code
     * pool.withdrawCollateral(marketId, TokenAmount.parse("50000000000000000000", 18));  // 50 tokens
     * }</pre>
     */
    public PoolReceipt withdrawCollateral(MarketId marketId, TokenAmount amount) {
        checkDecimals(terms(marketId).collateralToken(), amount, "collateral");
        String data =
                encoder.withdrawCollateral(
                                marketId.toBytes(), amount.baseUnits(), account().toLowerCaseHex())
                        .encodeFunctionCall();
        TransactionSender.Mined mined =
                sender.send(PoolAction.WITHDRAW_COLLATERAL.functionName(), pool, data);
        BigInteger assets = only(PoolEvents.WITHDRAW_COLLATERAL, mined).assets();
        return receipt(
                PoolAction.WITHDRAW_COLLATERAL,
                marketId,
                mined,
                TokenAmount.of(assets, amount.decimals()),
                BigInteger.ZERO,
                Optional.empty());
    }

    /**
     * Borrows {@code amount} of the loan token against the signer's collateral, sent to the signer.
     * Needs a fresh price and the debt within max LTV afterwards; {@link
     * io.freehold.sdk.math.PositionMath} tells the most that passes ({@code maxBorrowable}).
     *
     * <pre>{@code
     * PoolReceipt r = pool.borrow(marketId, TokenAmount.parse("12000000000", 6));
     * r.shares();  // borrow shares minted (rounded up)
     * }</pre>
     */
    public PoolReceipt borrow(MarketId marketId, TokenAmount amount) {
        checkDecimals(terms(marketId).loanToken(), amount, "loan");
        String data =
                encoder.borrow(marketId.toBytes(), amount.baseUnits(), account().toLowerCaseHex())
                        .encodeFunctionCall();
        TransactionSender.Mined mined = sender.send(PoolAction.BORROW.functionName(), pool, data);
        PoolEvents.AssetFlow event = only(PoolEvents.BORROW, mined);
        return receipt(
                PoolAction.BORROW,
                marketId,
                mined,
                TokenAmount.of(event.assets(), amount.decimals()),
                event.shares(),
                Optional.empty());
    }

    /**
     * Repays {@code amount} of the signer's debt, approving the pool first if the allowance is
     * short. More than the debt is refused ({@link ContractError#REPAY_EXCEEDS_DEBT}); use {@link
     * #repayAll} to close it.
     *
     * <pre>{@code
     * pool.repay(marketId, TokenAmount.parse("2000000000", 6));  // 2,000 USD
     * }</pre>
     */
    public PoolReceipt repay(MarketId marketId, TokenAmount amount) {
        Address loan = terms(marketId).loanToken();
        checkDecimals(loan, amount, "loan");
        return repay(marketId, amount.baseUnits(), amount.baseUnits(), decimals(loan));
    }

    /**
     * Repays the signer's whole debt ({@code repay} with {@code type(uint256).max}): every borrow
     * share is burned and the debt at the moment of mining is paid. The approval, if one is needed,
     * covers the debt an hour of interest later, so that interest accrued while the transaction
     * waits cannot make it fail.
     *
     * <pre>{@code
     * PoolReceipt r = pool.repayAll(marketId);
     * r.assets();  // exactly the debt that was owed
     * }</pre>
     */
    public PoolReceipt repayAll(MarketId marketId) {
        PositionInputs in = positionInputs(marketId, account());
        BigInteger debtSoon =
                Previews.repayAll(in.terms(), in.market(), in.timestamp() + 3_600, in.position())
                        .assets();
        return repay(marketId, Uint256.MAX, debtSoon, in.loanDecimals());
    }

    // ------------------------------------------------------------------ rent

    /**
     * Pays the rent of the signer's locked collateral to the signer ({@code claimRent(id,
     * signer)}): the pool first claims what the property token owes it and spreads it over locked
     * collateral, then pays out all the position has accrued. Never refused for a zero amount (it
     * pays 0 and moves no tokens). The receipt's {@code assets} are in the property token's rent
     * token (its {@code rentToken()}).
     *
     * <pre>{@code
     * PoolReceipt r = pool.claimRent(marketId);
     * r.assets();  // rent paid, e.g. 12.345678 USD
     * }</pre>
     */
    public PoolReceipt claimRent(MarketId marketId) {
        return claimRent(marketId, account());
    }

    /**
     * {@link #claimRent(MarketId)} paid to {@code receiver}; the zero address is refused ({@link
     * ContractError#ZERO_ADDRESS}).
     */
    public PoolReceipt claimRent(MarketId marketId, Address receiver) {
        Objects.requireNonNull(receiver, "receiver");
        MarketTerms t = terms(marketId);
        String data =
                encoder.claimRent(marketId.toBytes(), receiver.toLowerCaseHex())
                        .encodeFunctionCall();
        TransactionSender.Mined mined =
                sender.send(PoolAction.CLAIM_RENT.functionName(), pool, data);
        BigInteger amount = only(PoolEvents.RENT_CLAIMED, mined).amount();
        long block = mined.blockNumber();
        return receipt(
                PoolAction.CLAIM_RENT,
                marketId,
                mined,
                TokenAmount.of(amount, decimals(reader.rentToken(t, block))),
                BigInteger.ZERO,
                Optional.empty());
    }

    /**
     * Repays the signer's debt from the rent of its locked collateral ({@code repayWithRent(id)}):
     * min(claimable rent, debt), burning the borrow shares it covers (rounded down; all of them
     * when it covers the debt). No tokens move and no approval is needed: the rent is already in
     * the pool. Refused when the property's rent token is not the market's loan token ({@link
     * ContractError#RENT_NOT_IN_LOAN_TOKEN}), when there is no rent or no debt ({@link
     * ContractError#ZERO_AMOUNT}) or when the rent buys no share. {@link
     * io.freehold.sdk.math.PositionMath#previewRepayWithRent} tells the outcome first.
     *
     * <pre>{@code
     * PoolReceipt r = pool.repayWithRent(marketId);
     * r.assets();  // debt repaid from rent, loan-token units
     * r.shares();  // borrow shares burned
     * }</pre>
     */
    public PoolReceipt repayWithRent(MarketId marketId) {
        MarketTerms t = terms(marketId);
        String data = encoder.repayWithRent(marketId.toBytes()).encodeFunctionCall();
        TransactionSender.Mined mined =
                sender.send(PoolAction.REPAY_WITH_RENT.functionName(), pool, data);
        PoolEvents.AssetFlow event = only(PoolEvents.REPAY, mined);
        return receipt(
                PoolAction.REPAY_WITH_RENT,
                marketId,
                mined,
                TokenAmount.of(event.assets(), decimals(t.loanToken())),
                event.shares(),
                Optional.empty());
    }

    /**
     * The pool's rent bookkeeping for the market's property token at the latest block, for {@link
     * io.freehold.sdk.math.PositionMath#previewRepayWithRent} and {@link
     * io.freehold.sdk.math.PositionMath#claimableRent}.
     *
     * <pre>{@code
     * PositionInputs in = pool.positionInputs(marketId, me);
     * PoolRent rent = pool.poolRent(marketId, in.blockNumber());
     * PositionMath.of(in).previewRepayWithRent(rent).after().healthFactor();
     * }</pre>
     */
    public PoolRent poolRent(MarketId marketId) {
        return poolRent(marketId, rpc.block(DefaultBlockParameterName.LATEST).number());
    }

    /**
     * {@link #poolRent(MarketId)} at block {@code blockNumber}: read it at the block of the
     * position's inputs.
     */
    public PoolRent poolRent(MarketId marketId, long blockNumber) {
        return reader.rent(terms(marketId), blockNumber);
    }

    // ------------------------------------------------------------------ liquidators

    /**
     * Liquidates {@code borrower}: repays at most {@code maxRepay} of their debt (the contract
     * repays the least of that, what its close factor allows and what the collateral covers) and
     * receives the seized collateral at the signer, who must be verified by the property token's
     * identity registry. Approves the pool for exactly {@code maxRepay} first if the allowance is
     * short. Simulated before sending, so a position that is healthy again ({@code
     * PositionHealthy}) or a stale price is reported without gas.
     *
     * <pre>{@code
     * LiquidationReceipt r = pool.liquidate(marketId, borrower, TokenAmount.of(opportunity.maxRepay(), 6));
     * r.seizedCollateral();  // the property tokens received
     * }</pre>
     */
    public LiquidationReceipt liquidate(MarketId marketId, Address borrower, TokenAmount maxRepay) {
        Objects.requireNonNull(borrower, "borrower");
        MarketTerms t = terms(marketId);
        Address loan = t.loanToken();
        checkDecimals(loan, maxRepay, "loan");
        String data =
                encoder.liquidate(
                                marketId.toBytes(),
                                borrower.toLowerCaseHex(),
                                maxRepay.baseUnits(),
                                account().toLowerCaseHex())
                        .encodeFunctionCall();
        Optional<String> approval =
                ensureAllowance(PoolAction.LIQUIDATE, loan, maxRepay.baseUnits(), data);
        TransactionSender.Mined mined =
                sender.send(PoolAction.LIQUIDATE.functionName(), pool, data);
        PoolEvents.Liquidation e = only(PoolEvents.LIQUIDATE, mined);
        int collateralDecimals = decimals(t.collateralToken());
        return new LiquidationReceipt(
                marketId,
                borrower,
                account(),
                mined.hash(),
                mined.blockNumber(),
                mined.gasUsed(),
                TokenAmount.of(e.repaidAssets(), maxRepay.decimals()),
                e.repaidShares(),
                TokenAmount.of(e.seizedCollateral(), collateralDecimals),
                TokenAmount.of(e.badDebtAssets(), maxRepay.decimals()),
                approval);
    }

    // ------------------------------------------------------------------ the cure window

    /**
     * Flags {@code borrower}'s unhealthy position on a market with a cure window ({@code flag}):
     * its window starts now, or keeps its start when an earlier flag still holds under the latest
     * appraisal; anyone may call it. Only after {@link CureFlagReceipt#windowEndsAt()} (or under
     * the market's hard floor) do {@code liquidate} and the auction's {@code start} accept the
     * position. Refused on a healthy position ({@link ContractError#POSITION_HEALTHY}), a market
     * without a window ({@link ContractError#NO_CURE_WINDOW}), a position in auction ({@link
     * ContractError#POSITION_IN_AUCTION}) or a stale price.
     *
     * <pre>{@code
     * CureFlagReceipt r = pool.flag(marketId, borrower);
     * Instant open = Instant.ofEpochSecond(r.windowEndsAt());
     * }</pre>
     */
    public CureFlagReceipt flag(MarketId marketId, Address borrower) {
        Objects.requireNonNull(borrower, "borrower");
        LiquidationTerms t = liquidationTerms(marketId);
        String data =
                encoder.flag(marketId.toBytes(), borrower.toLowerCaseHex()).encodeFunctionCall();
        TransactionSender.Mined mined = sender.send("flag", pool, data);
        AuctionEvents.Flagged e = only(AuctionEvents.CURE_FLAGGED, mined);
        return new CureFlagReceipt(
                marketId,
                borrower,
                mined.hash(),
                mined.blockNumber(),
                mined.gasUsed(),
                e.flaggedAt(),
                Math.addExact(e.flaggedAt(), t.cureWindowSeconds()));
    }

    /**
     * Clears the flag of {@code borrower}'s position once it is healthy again on a fresh price
     * ({@code clearFlag}; anyone may call it, and any borrower action that leaves it healthy clears
     * it too). Refused while it is still unhealthy ({@link ContractError#POSITION_UNHEALTHY}), when
     * it has no flag ({@link ContractError#NOT_FLAGGED}) or is in auction.
     *
     * <pre>{@code
     * pool.repay(marketId, amount);             // the borrower cures
     * pool.clearFlag(marketId, borrower);       // (if the repay did not clear it already)
     * }</pre>
     */
    public CureFlagReceipt clearFlag(MarketId marketId, Address borrower) {
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(marketId, "marketId");
        String data =
                encoder.clearFlag(marketId.toBytes(), borrower.toLowerCaseHex())
                        .encodeFunctionCall();
        TransactionSender.Mined mined = sender.send("clearFlag", pool, data);
        only(AuctionEvents.CURE_FLAG_CLEARED, mined);
        return new CureFlagReceipt(
                marketId, borrower, mined.hash(), mined.blockNumber(), mined.gasUsed(), 0, 0);
    }

    /**
     * The position's cure flag and auction lock (the pool's {@code cureFlag} view) at the latest
     * block.
     *
     * <pre>{@code
     * CureFlagState f = pool.cureFlag(marketId, borrower);
     * f.isFlagged(); f.inAuction();
     * }</pre>
     */
    public CureFlagState cureFlag(MarketId marketId, Address borrower) {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        return reader.read(pool, AuctionViews.cureFlag(marketId, borrower), latestBlock());
    }

    /**
     * Whether the pool would act on the position now (its {@code isLiquidatable}): on an auction
     * market, whether {@link FreeholdAuction#startAuction} would be accepted; it is false inside a
     * cure window (unless under the hard floor) and for a position already in auction.
     *
     * <pre>{@code
     * if (pool.isActionable(marketId, borrower)) { pool.auction(marketId).startAuction(marketId, borrower); }
     * }</pre>
     */
    public boolean isActionable(MarketId marketId, Address borrower) {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        return reader.read(pool, AuctionViews.isLiquidatable(marketId, borrower), latestBlock());
    }

    /**
     * How the market liquidates, fixed at its creation: the fixed incentive or an auction, and its
     * cure window (read once).
     *
     * <pre>{@code
     * LiquidationTerms t = pool.liquidationTerms(marketId);
     * t.isAuction(); t.cureWindowSeconds(); t.hardFloorHealth();
     * }</pre>
     */
    public LiquidationTerms liquidationTerms(MarketId marketId) {
        terms(marketId); // an unknown market is refused with the pool's own revert
        return liquidationTerms.computeIfAbsent(
                marketId,
                id -> reader.read(pool, AuctionViews.liquidationTerms(id), latestBlock()));
    }

    // ------------------------------------------------------------------ lenders

    /**
     * Supplies {@code amount} of the loan token to the market for supply shares credited to the
     * signer, approving the pool first if the allowance is short.
     *
     * <pre>{@code
     * PoolReceipt r = pool.supply(marketId, TokenAmount.parse("500000000000", 6));  // 500,000 USD
     * r.shares();  // supply shares minted (rounded down)
     * }</pre>
     */
    public PoolReceipt supply(MarketId marketId, TokenAmount amount) {
        Address loan = terms(marketId).loanToken();
        checkDecimals(loan, amount, "loan");
        String data =
                encoder.supply(marketId.toBytes(), amount.baseUnits(), account().toLowerCaseHex())
                        .encodeFunctionCall();
        Optional<String> approval =
                ensureAllowance(PoolAction.SUPPLY, loan, amount.baseUnits(), data);
        TransactionSender.Mined mined = sender.send(PoolAction.SUPPLY.functionName(), pool, data);
        PoolEvents.AssetFlow event = only(PoolEvents.SUPPLY, mined);
        return receipt(
                PoolAction.SUPPLY,
                marketId,
                mined,
                TokenAmount.of(event.assets(), amount.decimals()),
                event.shares(),
                approval);
    }

    /**
     * Withdraws {@code amount} of the signer's supply to the signer, burning shares rounded up;
     * refused beyond the idle liquidity ({@link ContractError#INSUFFICIENT_LIQUIDITY}).
     *
     * <pre>{@code
     * pool.withdraw(marketId, TokenAmount.parse("1000000000", 6));  // 1,000 USD
     * }</pre>
     */
    public PoolReceipt withdraw(MarketId marketId, TokenAmount amount) {
        Address loan = terms(marketId).loanToken();
        checkDecimals(loan, amount, "loan");
        return withdraw(marketId, amount.baseUnits(), decimals(loan));
    }

    /**
     * Withdraws every supply share of the signer ({@code withdraw} with {@code type(uint256).max}),
     * for what they are worth when mined, rounded down.
     *
     * <pre>{@code
     * PoolReceipt r = pool.withdrawAll(marketId);
     * r.assets();  // principal plus interest
     * }</pre>
     */
    public PoolReceipt withdrawAll(MarketId marketId) {
        return withdraw(marketId, Uint256.MAX, decimals(terms(marketId).loanToken()));
    }

    // ------------------------------------------------------------------ reads

    /**
     * The signer's balance of the market's loan token at the latest block: what it can repay,
     * supply or pay for auction lots with.
     *
     * <pre>{@code
     * TokenAmount cash = pool.loanBalance(marketId);  // e.g. 50,000.000000 USD
     * }</pre>
     */
    public TokenAmount loanBalance(MarketId marketId) {
        Address loan = terms(marketId).loanToken();
        return TokenAmount.of(
                reader.read(loan, TokenViews.balanceOf(account()), latestBlock()), decimals(loan));
    }

    /**
     * The inputs of the offline math for {@code account}'s position, all read at the latest block.
     *
     * <pre>{@code
     * PositionMath math = PositionMath.of(pool.positionInputs(marketId, borrower));
     * math.healthFactor();
     * }</pre>
     */
    public PositionInputs positionInputs(MarketId marketId, Address account) {
        return positionInputs(
                marketId, account, rpc.block(DefaultBlockParameterName.LATEST).number());
    }

    /**
     * The inputs of the offline math for {@code account}'s position at block {@code blockNumber}
     * (which the endpoint must still hold state for).
     *
     * <pre>{@code
     * PositionInputs then = pool.positionInputs(marketId, borrower, 19_000_000L);
     * }</pre>
     */
    public PositionInputs positionInputs(MarketId marketId, Address account, long blockNumber) {
        JsonRpc.Block block =
                rpc.block(DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber)));
        MarketTerms t = reader.terms(marketId, blockNumber);
        return new PositionInputs(
                marketId,
                account,
                t,
                reader.storedMarket(marketId, t, blockNumber, block.timestamp()),
                reader.position(marketId, account, blockNumber),
                reader.appraisal(t, blockNumber),
                decimals(t.loanToken()),
                decimals(t.collateralToken()),
                blockNumber,
                block.timestamp());
    }

    /**
     * Closes the connection if this pool opened it ({@link #connect(String, Credentials, Address,
     * long)}).
     */
    @Override
    public void close() {
        if (ownsWeb3j) {
            web3j.shutdown();
        }
    }

    // ------------------------------------------------------------------ internals

    private PoolReceipt repay(
            MarketId marketId, BigInteger assets, BigInteger approve, int loanDecimals) {
        Address loan = terms(marketId).loanToken();
        String data =
                encoder.repay(marketId.toBytes(), assets, account().toLowerCaseHex())
                        .encodeFunctionCall();
        Optional<String> approval = ensureAllowance(PoolAction.REPAY, loan, approve, data);
        TransactionSender.Mined mined = sender.send(PoolAction.REPAY.functionName(), pool, data);
        PoolEvents.AssetFlow event = only(PoolEvents.REPAY, mined);
        return receipt(
                PoolAction.REPAY,
                marketId,
                mined,
                TokenAmount.of(event.assets(), loanDecimals),
                event.shares(),
                approval);
    }

    private PoolReceipt withdraw(MarketId marketId, BigInteger assets, int loanDecimals) {
        String data =
                encoder.withdraw(marketId.toBytes(), assets, account().toLowerCaseHex())
                        .encodeFunctionCall();
        TransactionSender.Mined mined = sender.send(PoolAction.WITHDRAW.functionName(), pool, data);
        PoolEvents.AssetFlow event = only(PoolEvents.WITHDRAW, mined);
        return receipt(
                PoolAction.WITHDRAW,
                marketId,
                mined,
                TokenAmount.of(event.assets(), loanDecimals),
                event.shares(),
                Optional.empty());
    }

    /**
     * Approves the pool for exactly {@code needed} of {@code token} when the allowance is below it
     * (never an unlimited approval). The action is simulated first: a refusal of the pool's own
     * (zero amount, unknown market, debt exceeded...) comes before the token pull, so it is
     * reported without spending gas on an approval; only the token's refusal of the missing
     * allowance is expected then.
     */
    private Optional<String> ensureAllowance(
            PoolAction action, Address token, BigInteger needed, String actionData) {
        return ensureAllowance(action.functionName(), token, needed, pool, actionData);
    }

    /**
     * {@link #ensureAllowance(PoolAction, Address, BigInteger, String)} for an action sent to
     * {@code target} (the auction's {@code take}, which has the pool pull the payment).
     */
    Optional<String> ensureAllowance(
            String action, Address token, BigInteger needed, Address target, String actionData) {
        if (reader.allowance(token, account(), pool).compareTo(needed) >= 0) {
            return Optional.empty();
        }
        ContractRevert refusal = sender.simulate(target, actionData);
        if (refusal != null && refusal.error() != ContractError.ERC20_INSUFFICIENT_ALLOWANCE) {
            throw ContractRevertException.preflight(action, refusal);
        }
        String approve =
                reader.erc20(token).approve(pool.toLowerCaseHex(), needed).encodeFunctionCall();
        return Optional.of(sender.send("approve", token, approve).hash());
    }

    MarketTerms terms(MarketId marketId) {
        Objects.requireNonNull(marketId, "marketId");
        // Terms are fixed at a market's creation, so they are read once.
        return terms.computeIfAbsent(
                marketId,
                id -> {
                    long latest = rpc.block(DefaultBlockParameterName.LATEST).number();
                    JsonRpc.CallResult probe =
                            rpc.call(
                                    account(),
                                    pool,
                                    PoolViews.marketParams(id).data(),
                                    DefaultBlockParameterName.LATEST);
                    if (probe.reverted()) {
                        throw ContractRevertException.preflight("marketParams", probe.revert());
                    }
                    return reader.terms(id, latest);
                });
    }

    long latestBlock() {
        return rpc.block(DefaultBlockParameterName.LATEST).number();
    }

    int decimals(Address token) {
        return reader.decimals(token);
    }

    void checkDecimals(Address token, TokenAmount amount, String which) {
        Objects.requireNonNull(amount, "amount");
        int expected = decimals(token);
        if (amount.decimals() != expected) {
            throw new IllegalArgumentException(
                    "the "
                            + which
                            + " token "
                            + token
                            + " has "
                            + expected
                            + " decimals; the amount has "
                            + amount.decimals());
        }
    }

    private PoolReceipt receipt(
            PoolAction action,
            MarketId marketId,
            TransactionSender.Mined mined,
            TokenAmount assets,
            BigInteger shares,
            Optional<String> approval) {
        return new PoolReceipt(
                action,
                marketId,
                account(),
                mined.hash(),
                mined.blockNumber(),
                mined.gasUsed(),
                assets,
                shares,
                approval);
    }

    /**
     * The one {@code event} the pool emitted in the mined transaction (decoded by the bindings).
     */
    <E> E only(AbiEvent<E> event, TransactionSender.Mined mined) {
        return only(event, mined, pool);
    }

    /** The one {@code event} {@code emitter} emitted in the mined transaction. */
    static <E> E only(AbiEvent<E> event, TransactionSender.Mined mined, Address emitter) {
        List<E> events = event.from(mined.receipt().getLogs(), emitter);
        if (events.size() != 1) {
            throw new OnchainException(
                    "expected one " + event + " event in the receipt, found " + events.size(),
                    null);
        }
        return events.get(0);
    }

    /**
     * Options for {@link FreeholdPool}: where the chain is, who signs, which pool, and how to wait
     * for receipts.
     *
     * <pre>{@code
     * FreeholdPool pool = FreeholdPool.builder().rpcUrl("http://127.0.0.1:8545").signer(credentials)
     *         .pool(poolAddress).chainId(31337).build();
     * }</pre>
     */
    public static final class Builder {
        private String rpcUrl;
        private Web3j web3j;
        private Credentials signer;
        private Address pool;
        private long chainId = -1;
        private Duration receiptPollInterval = Duration.ofSeconds(1);
        private Duration receiptTimeout = Duration.ofMinutes(5);

        private Builder() {}

        /** A JSON-RPC endpoint the pool connects to and closes with itself. */
        public Builder rpcUrl(String rpcUrl) {
            this.rpcUrl = Objects.requireNonNull(rpcUrl, "rpcUrl");
            return this;
        }

        /** A client the caller owns; the pool leaves it open. */
        public Builder web3j(Web3j web3j) {
            this.web3j = Objects.requireNonNull(web3j, "web3j");
            return this;
        }

        /** The key that signs every transaction; its address is the position the actions change. */
        public Builder signer(Credentials signer) {
            this.signer = Objects.requireNonNull(signer, "signer");
            return this;
        }

        /** The {@code LendingPool} contract. */
        public Builder pool(Address pool) {
            this.pool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /** The chain the transactions are signed for (EIP-155); checked against the endpoint's. */
        public Builder chainId(long chainId) {
            if (chainId <= 0) {
                throw new IllegalArgumentException("chain id must be positive: " + chainId);
            }
            this.chainId = chainId;
            return this;
        }

        /** How often to ask for a receipt; 1 s by default (use less on a local chain). */
        public Builder receiptPollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException(
                        "receipt poll interval must be positive: " + interval);
            }
            this.receiptPollInterval = interval;
            return this;
        }

        /**
         * How long to wait for a receipt before giving up (the transaction may still be mined); 5
         * min by default.
         */
        public Builder receiptTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("receipt timeout must be positive: " + timeout);
            }
            this.receiptTimeout = timeout;
            return this;
        }

        /**
         * @throws IllegalStateException if no endpoint, signer, pool or chain id was given, or both
         *     an URL and a client
         * @throws OnchainException if the endpoint does not answer or serves another chain
         */
        public FreeholdPool build() {
            if ((rpcUrl == null) == (web3j == null)) {
                throw new IllegalStateException("give exactly one of rpcUrl and web3j");
            }
            if (signer == null || pool == null || chainId <= 0) {
                throw new IllegalStateException("signer, pool and chainId are required");
            }
            boolean owns = web3j == null;
            Web3j client = owns ? Web3j.build(new HttpService(rpcUrl)) : web3j;
            try {
                long served = new JsonRpc(client).chainId();
                if (served != chainId) {
                    throw new OnchainException(
                            "the endpoint serves chain "
                                    + served
                                    + ", not "
                                    + chainId
                                    + "; refusing to sign for the wrong chain",
                            null);
                }
                return new FreeholdPool(this, client, owns);
            } catch (RuntimeException e) {
                if (owns) {
                    client.shutdown();
                }
                throw e;
            }
        }
    }
}
