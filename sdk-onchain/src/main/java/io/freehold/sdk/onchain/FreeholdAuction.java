package io.freehold.sdk.onchain;

import io.freehold.contracts.bindings.AuctionEvents;
import io.freehold.contracts.bindings.AuctionViews;
import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.bindings.PoolViews;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.Auctions;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.sdk.Auction;
import io.freehold.sdk.TokenAmount;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * What keepers and takers do against the {@code DutchAuction} that sells an auction market's
 * collateral, signed by the key of the {@link FreeholdPool} it came from ({@link
 * FreeholdPool#auction(MarketId)}): start an auction of an unhealthy position once its cure window
 * is over, restart one that reached its floor, take any part of a lot at the current price under a
 * limit, and read auctions and their prices. As {@link FreeholdPool}'s methods, each call is
 * simulated first ({@code eth_call}, so a refusal costs no gas), sent with EIP-1559 fees, waited
 * for, and answered from the contract's events; a refusal is a {@link ContractRevertException} with
 * the decoded reason, e.g. {@link ContractError#PRICE_ABOVE_LIMIT}, {@link
 * ContractError#TAKE_EXCEEDS_LOT}, {@link ContractError#TAKER_NOT_ALLOWED}, {@link
 * ContractError#AUCTION_NEEDS_RESTART} or {@link ContractError#CURE_WINDOW_OPEN}.
 *
 * <p>The cure window itself is the pool's ({@link FreeholdPool#flag}, {@link
 * FreeholdPool#clearFlag}, {@link FreeholdPool#isActionable}); this class is the auction's. Prices
 * are the oracle's scale: loan-token base units per collateral base unit × 10<sup>36</sup>.
 *
 * <pre>{@code
 * FreeholdAuction auction = pool.auction(marketId);
 * pool.flag(marketId, borrower);                                  // a keeper starts the window
 * // ... a day later, the window over:
 * AuctionStartReceipt started = auction.startAuction(marketId, borrower);   // paid a keeper reward
 * // a taker, verified by the property token, holding the loan token:
 * BigInteger limit = appraisal.multiply(BigInteger.valueOf(90)).divide(BigInteger.valueOf(100));
 * TakeReceipt r = auction.take(started.auctionId(), TokenAmount.parse("50000000000000000000", 18), limit);
 * System.out.println("bought " + r.bought().toDecimalString() + " for " + r.paid().toDecimalString());
 * }</pre>
 */
public final class FreeholdAuction {

    private final FreeholdPool pool;
    private final Address auction;
    private final JsonRpc rpc;
    private final TransactionSender sender;
    private final PoolReader reader;
    private final DutchAuction encoder;
    private final Map<MarketId, AuctionTerms> terms = new ConcurrentHashMap<>();

    FreeholdAuction(
            FreeholdPool pool,
            Address auction,
            JsonRpc rpc,
            TransactionSender sender,
            PoolReader reader) {
        this.pool = pool;
        this.auction = auction;
        this.rpc = rpc;
        this.sender = sender;
        this.reader = reader;
        // Only encodes calldata: the transactions go through the pool's sender.
        this.encoder =
                DutchAuction.load(
                        auction.toLowerCaseHex(),
                        rpc.web3j(),
                        new ReadonlyTransactionManager(rpc.web3j(), sender.from().toLowerCaseHex()),
                        new DefaultGasProvider());
    }

    /** The {@code DutchAuction} contract's address. */
    public Address address() {
        return auction;
    }

    // ------------------------------------------------------------------ keepers

    /**
     * Starts the Dutch auction of {@code borrower}'s position ({@code start}), the signer as the
     * keeper who is paid the market's keeper reward. The pool must accept the position: unhealthy
     * on a fresh price, its cure window over or its health under the hard floor ({@link
     * ContractError#CURE_WINDOW_OPEN} with the deadline, {@link ContractError#NOT_FLAGGED} without
     * a flag that holds: {@link FreeholdPool#flag} first), not already in auction ({@link
     * ContractError#POSITION_IN_AUCTION}). The penalty is added to the debt, the position locked.
     *
     * <pre>{@code
     * AuctionStartReceipt r = auction.startAuction(marketId, borrower);
     * r.auctionId(); r.keeperReward(); r.startPrice(); r.endsAt();
     * }</pre>
     */
    public AuctionStartReceipt startAuction(MarketId marketId, Address borrower) {
        Objects.requireNonNull(borrower, "borrower");
        MarketTerms t = pool.terms(marketId);
        String data =
                encoder.start(
                                marketId.toBytes(),
                                borrower.toLowerCaseHex(),
                                pool.account().toLowerCaseHex())
                        .encodeFunctionCall();
        TransactionSender.Mined mined = sender.send(DutchAuction.FUNC_START, auction, data);
        return startReceipt(FreeholdPool.only(AuctionEvents.STARTED, mined, auction), t, mined);
    }

    /**
     * Restarts auction {@code auctionId} after it reached its floor unsold ({@code restart}): the
     * price starts again from the current appraisal, the signer is paid as keeper for the market's
     * first paid restarts. Refused before the floor time ({@link ContractError#AUCTION_NOT_STALE}
     * with it) and for an auction that is over ({@link ContractError#AUCTION_NOT_ACTIVE}).
     *
     * <pre>{@code
     * if (chainAuction.auction().needsRestart()) { auction.restartAuction(chainAuction.auctionId()); }
     * }</pre>
     */
    public AuctionStartReceipt restartAuction(long auctionId) {
        String data =
                encoder.restart(BigInteger.valueOf(auctionId), pool.account().toLowerCaseHex())
                        .encodeFunctionCall();
        TransactionSender.Mined mined = sender.send(DutchAuction.FUNC_RESTART, auction, data);
        AuctionEvents.Round round = FreeholdPool.only(AuctionEvents.RESTARTED, mined, auction);
        return startReceipt(round, pool.terms(round.marketId()), mined);
    }

    // ------------------------------------------------------------------ takers

    /**
     * Takes {@code collateral} of auction {@code auctionId}'s lot at the current price, if that is
     * at most {@code maxPrice}, the collateral sent to the signer. See {@link #take(long,
     * TokenAmount, BigInteger, Address)}.
     *
     * <pre>{@code
     * TakeReceipt r = auction.take(auctionId, TokenAmount.parse("50000000000000000000", 18), maxPrice);
     * }</pre>
     */
    public TakeReceipt take(long auctionId, TokenAmount collateral, BigInteger maxPrice) {
        return take(auctionId, collateral, maxPrice, pool.account());
    }

    /**
     * Takes {@code collateral} of auction {@code auctionId}'s lot ({@code take}) at the price of
     * the block it is mined in, if that is at most {@code maxPrice}; the signer pays ⌈bought ×
     * price / 10<sup>36</sup>⌉ of the loan token (a little less on the slice that clears the debt)
     * and {@code receiver} gets the collateral. Approves the pool first, for exactly the most this
     * take can cost at {@code maxPrice}, when the allowance is short.
     *
     * <p>The simulation runs on the latest block, whose price is the same or higher than in the
     * block the take lands in: a {@code maxPrice} below {@link #priceNow} is refused before sending
     * even if the price would have fallen to it by then. Wait until {@code priceNow(auctionId) <=
     * maxPrice} (or preview when that is with {@link io.freehold.sdk.Auction#previewTake}).
     *
     * <p>Refused (decoded, before anything is sent where the simulation sees it): above the limit
     * ({@link ContractError#PRICE_ABOVE_LIMIT} with the price), more than is left ({@link
     * ContractError#TAKE_EXCEEDS_LOT} with the lot), a taker or receiver the property token does
     * not accept ({@link ContractError#TAKER_NOT_ALLOWED}), past the floor time ({@link
     * ContractError#AUCTION_NEEDS_RESTART}), an auction that is over ({@link
     * ContractError#AUCTION_NOT_ACTIVE}), zero ({@link ContractError#ZERO_TAKE}).
     *
     * <pre>{@code
     * TakeReceipt r = auction.take(auctionId, tokens, maxPrice, Address.fromHex("0x90F7...b906"));
     * }</pre>
     *
     * @param collateral in the property token's decimals (18)
     * @param maxPrice the most the taker accepts per collateral base unit, × 10<sup>36</sup>
     */
    public TakeReceipt take(
            long auctionId, TokenAmount collateral, BigInteger maxPrice, Address receiver) {
        Objects.requireNonNull(collateral, "collateral");
        AuctionViews.AuctionRecord a = record(auctionId, pool.latestBlock());
        pool.checkDecimals(pool.terms(a.marketId()).collateralToken(), collateral, "collateral");
        return take(a, collateral.baseUnits(), maxPrice, receiver);
    }

    /**
     * Takes all that is left of auction {@code auctionId}'s lot, or as much as its debt needs
     * ({@code take} with {@code type(uint256).max}), at a price at most {@code maxPrice}; the
     * signer receives it. The rest of the lot, if the debt did not need it, goes back to the
     * borrower and the auction ends.
     *
     * <pre>{@code
     * TakeReceipt r = auction.takeAll(auctionId, maxPrice);
     * r.ended();    // true
     * r.lotLeft();  // what stays the borrower's
     * }</pre>
     */
    public TakeReceipt takeAll(long auctionId, BigInteger maxPrice) {
        return take(record(auctionId, pool.latestBlock()), Uint256.MAX, maxPrice, pool.account());
    }

    // ------------------------------------------------------------------ reads

    /**
     * Auction {@code auctionId} at the latest block, active or over; empty for an id never used.
     *
     * <pre>{@code
     * auction.auction(7).map(a -> a.auction().currentPrice());
     * }</pre>
     */
    public Optional<ChainAuction> auction(long auctionId) {
        long block = pool.latestBlock();
        AuctionViews.AuctionRecord a = reader.read(auction, AuctionViews.auction(auctionId), block);
        return a.exists() ? Optional.of(valued(a, block)) : Optional.empty();
    }

    /**
     * The active auction of {@code borrower}'s position, at the latest block; empty when there is
     * none.
     *
     * <pre>{@code
     * auction.activeAuction(marketId, borrower).ifPresent(a -> take(a.auctionId()));
     * }</pre>
     */
    public Optional<ChainAuction> activeAuction(MarketId marketId, Address borrower) {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        long block = pool.latestBlock();
        long id =
                reader.read(auction, AuctionViews.activeAuction(marketId, borrower), block)
                        .longValueExact();
        return id == 0
                ? Optional.empty()
                : Optional.of(valued(reader.read(auction, AuctionViews.auction(id), block), block));
    }

    /**
     * The auction's price at {@code timestamp} (unix seconds) as its {@code priceAt} view says it
     * (× 10<sup>36</sup>).
     *
     * <pre>{@code
     * BigInteger inAnHour = auction.priceAt(auctionId, now + 3_600);
     * }</pre>
     *
     * @throws ContractRevertException {@link ContractError#AUCTION_NEEDS_RESTART} outside its run,
     *     {@link ContractError#AUCTION_NOT_ACTIVE} for an id never used
     */
    public BigInteger priceAt(long auctionId, long timestamp) {
        var view = AuctionViews.priceAt(auctionId, timestamp);
        JsonRpc.CallResult answer =
                rpc.call(
                        pool.account(),
                        auction,
                        view.data(),
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(pool.latestBlock())));
        if (answer.reverted()) {
            throw ContractRevertException.preflight(view.name(), answer.revert());
        }
        return view.decode(answer.value());
    }

    /**
     * The price at the latest block's timestamp: what a take mined at that moment would pay; a take
     * mined later pays the same or less (the price only falls until the floor time).
     *
     * <pre>{@code
     * if (auction.priceNow(auctionId).compareTo(limit) <= 0) { auction.take(auctionId, tokens, limit); }
     * }</pre>
     */
    public BigInteger priceNow(long auctionId) {
        return priceAt(auctionId, rpc.block(DefaultBlockParameter.valueOf("latest")).timestamp());
    }

    /**
     * The market's auction parameters (the auction's {@code auctionParams}; read once): premium,
     * floor, duration, penalty, keeper fees.
     */
    public AuctionTerms auctionTerms(MarketId marketId) {
        Objects.requireNonNull(marketId, "marketId");
        return terms.computeIfAbsent(
                marketId,
                id -> reader.read(auction, AuctionViews.auctionParams(id), pool.latestBlock()));
    }

    // ------------------------------------------------------------------ internals

    private TakeReceipt take(
            AuctionViews.AuctionRecord a,
            BigInteger collateral,
            BigInteger maxPrice,
            Address receiver) {
        Objects.requireNonNull(maxPrice, "maxPrice");
        Objects.requireNonNull(receiver, "receiver");
        Uint256.check(maxPrice, "maxPrice");
        MarketTerms t = pool.terms(a.marketId());
        String data =
                encoder.take(
                                BigInteger.valueOf(a.auctionId()),
                                collateral,
                                maxPrice,
                                receiver.toLowerCaseHex())
                        .encodeFunctionCall();
        // The most this take can pay at maxPrice: the lot only shrinks while the position is
        // locked, and a take never pays above ⌈bought × price⌉ (Auctions.take with no debt limit).
        BigInteger lot =
                reader.read(
                                pool.poolAddress(),
                                PoolViews.positionShares(a.marketId(), a.borrower()),
                                pool.latestBlock())
                        .collateral();
        BigInteger most = Auctions.take(lot, Uint256.MAX, collateral, maxPrice).paid();
        Optional<String> approval =
                pool.ensureAllowance(DutchAuction.FUNC_TAKE, t.loanToken(), most, auction, data);
        TransactionSender.Mined mined = sender.send(DutchAuction.FUNC_TAKE, auction, data);
        AuctionEvents.Taken e = FreeholdPool.only(AuctionEvents.TAKEN, mined, auction);
        List<AuctionEvents.Ended> ended =
                AuctionEvents.ENDED.from(mined.receipt().getLogs(), auction);
        int loanDecimals = pool.decimals(t.loanToken());
        int collateralDecimals = pool.decimals(t.collateralToken());
        return new TakeReceipt(
                e.auctionId(),
                e.marketId(),
                e.borrower(),
                e.taker(),
                e.receiver(),
                mined.hash(),
                mined.blockNumber(),
                mined.gasUsed(),
                TokenAmount.of(e.collateral(), collateralDecimals),
                TokenAmount.of(e.paid(), loanDecimals),
                e.price(),
                TokenAmount.of(e.lotLeft(), collateralDecimals),
                TokenAmount.of(e.debtLeft(), loanDecimals),
                !ended.isEmpty(),
                TokenAmount.of(
                        ended.isEmpty() ? BigInteger.ZERO : ended.get(0).badDebt(), loanDecimals),
                approval);
    }

    private AuctionStartReceipt startReceipt(
            AuctionEvents.Round e, MarketTerms t, TransactionSender.Mined mined) {
        int loanDecimals = pool.decimals(t.loanToken());
        int collateralDecimals = pool.decimals(t.collateralToken());
        return new AuctionStartReceipt(
                e.auctionId(),
                e.marketId(),
                e.borrower(),
                e.keeper(),
                mined.hash(),
                mined.blockNumber(),
                mined.gasUsed(),
                TokenAmount.of(e.lot(), collateralDecimals),
                TokenAmount.of(e.tab(), loanDecimals),
                e.startPrice(),
                e.floorPrice(),
                e.startedAt(),
                e.endsAt(),
                TokenAmount.of(e.keeperReward(), loanDecimals),
                e.restarts());
    }

    /**
     * The auction {@code auctionId} at {@code block}, refused (as the contract would) if unknown.
     */
    private AuctionViews.AuctionRecord record(long auctionId, long block) {
        AuctionViews.AuctionRecord a = reader.read(auction, AuctionViews.auction(auctionId), block);
        if (!a.exists()) {
            throw ContractRevertException.preflight(
                    DutchAuction.FUNC_TAKE,
                    ContractRevert.of(
                            ContractError.AUCTION_NOT_ACTIVE, BigInteger.valueOf(auctionId)));
        }
        return a;
    }

    /**
     * The auction where it stands at {@code block}, as the node reports one ({@link Auction}): the
     * price from the math at the block's timestamp (the {@code priceAt} view's), the lot and tab
     * from the pool's position views at the same block.
     */
    private ChainAuction valued(AuctionViews.AuctionRecord a, long block) {
        long now = rpc.block(DefaultBlockParameter.valueOf(BigInteger.valueOf(block))).timestamp();
        long endsAt = Auctions.endsAt(auctionTerms(a.marketId()), a.startedAt());
        boolean running = a.active() && now <= endsAt;
        Optional<BigInteger> price =
                running
                        ? Optional.of(
                                Auctions.priceAt(
                                        auctionTerms(a.marketId()),
                                        a.startPrice(),
                                        a.floorPrice(),
                                        a.startedAt(),
                                        now))
                        : Optional.empty();
        BigInteger lot =
                reader.read(
                                pool.poolAddress(),
                                PoolViews.positionShares(a.marketId(), a.borrower()),
                                block)
                        .collateral();
        BigInteger tab =
                reader.read(
                                pool.poolAddress(),
                                PoolViews.position(a.marketId(), a.borrower()),
                                block)
                        .debt;
        Auction state =
                new Auction(
                        a.auctionId(),
                        Instant.ofEpochSecond(a.startedAt()),
                        Instant.ofEpochSecond(endsAt),
                        a.restarts(),
                        a.startPrice(),
                        a.floorPrice(),
                        price,
                        Duration.ofSeconds(Math.max(0, endsAt - now)),
                        lot,
                        tab,
                        a.active() && now > endsAt);
        return new ChainAuction(a.marketId(), a.borrower(), a.active(), state, block, now);
    }
}
