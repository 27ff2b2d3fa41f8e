package io.freehold.examples.demo;

import io.freehold.contracts.bindings.AbiEvent;
import io.freehold.contracts.bindings.AuctionEvents;
import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.Auction;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionQuery;
import io.freehold.sdk.TakePreview;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.onchain.FreeholdAuction;
import io.freehold.sdk.onchain.FreeholdPool;
import io.freehold.sdk.onchain.PoolReceipt;
import io.freehold.sdk.onchain.TakeReceipt;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The real-estate path, on the auction market ({@link LocalSystem#AUCTION_PROPERTY}): its appraisal
 * fell with the others ({@link PriceFall}), and the positions that crossed the line are not sold at
 * once. The node's keeper flags them, which starts each borrower's cure window (a day); one
 * borrower cures by repaying, through the on-chain SDK; the chain's clock is moved past the window;
 * the node's keeper starts the auctions of the others; the chain's clock moves on an hour at a time
 * while the price falls; and a bidder takes the lots at its limit, through the on-chain SDK's
 * {@link FreeholdAuction#takeAll}. What the debt does not need stays the borrower's; a shortfall
 * would be bad debt.
 *
 * <p>The bidder is an independent, verified account, not the node: the node is the market's keeper
 * (flag, start) and is run without {@code auction-take-discount}, so it never takes. That shows
 * both sides a real market has — a keeper paid a reward to start the sale, and a buyer who reads
 * the node (its auctions and their prices) and bids with its own limit ({@code maxPrice}, which the
 * contract enforces) — and it keeps the node's take, a convenience for operators who also buy, out
 * of the story.
 */
final class CureAndAuction {

    /**
     * One auction from start to take.
     *
     * @param started the auction's {@code AuctionStarted} as the chain logged it (keeper, reward)
     * @param atStart the auction as the node served it once started (prices, lot, tab)
     * @param take the bidder's take, as the on-chain SDK's receipt reported it
     */
    record Sale(AuctionEvents.Round started, Auction atStart, TakeReceipt take) {}

    /** A position's cure window as the node reported it once flagged ({@code actionability()}). */
    record Window(Instant flaggedAt, Instant endsAt) {}

    /**
     * What happened on the auction market.
     *
     * @param crossed positions whose health fell below 1 there (the node's view after the fall)
     * @param flagged each flagged position's cure window, as the node reported it
     * @param cured the borrower who cured by repaying
     * @param cureRepaid what it repaid
     * @param curedFlagCleared the node no longer reports that position flagged, and its health is
     *     at least 1
     * @param advancedSeconds how far the demo moved the chain's clock, in all
     * @param starts every {@code AuctionStarted} the auction logged (restarts excluded)
     * @param restarts every {@code AuctionRestarted} it logged
     * @param keeper the node's liquidator, the keeper every start should name
     * @param sales the auctions and the takes that ended them
     * @param inAuction the node's auction state and cure flags against the contracts', while the
     *     auctions ran
     */
    record Outcome(
            int crossed,
            Map<Address, Window> flagged,
            Address cured,
            BigInteger cureRepaid,
            boolean curedFlagCleared,
            long advancedSeconds,
            List<AuctionEvents.Round> starts,
            List<AuctionEvents.Round> restarts,
            Address keeper,
            List<Sale> sales,
            AuctionBooks.Reconciliation inAuction) {

        /** How many auctions each borrower's position had started, by the node's keeper. */
        Map<Address, Long> startsByTheKeeper() {
            return starts.stream()
                    .filter(r -> r.keeper().equals(keeper))
                    .collect(
                            Collectors.groupingBy(
                                    AuctionEvents.Round::borrower, Collectors.counting()));
        }
    }

    private static final Duration GIVE_UP = Duration.ofSeconds(90);
    private static final long HOUR = 3_600;

    /** The bidder's limit: 10% below the appraisal, per collateral unit. */
    private static final BigInteger BIDDER_DISCOUNT_PERCENT = BigInteger.TEN;

    private CureAndAuction() {}

    /**
     * Plays it out; the chain is mining a block a second ({@link PriceFall} left it so) and the
     * appraisal has fallen since {@code fallBlock}.
     */
    static Outcome play(
            Anvil anvil,
            Deployment deployment,
            FreeholdClient node,
            List<Borrowers.Borrower> borrowers,
            long fallBlock,
            PrintStream out)
            throws Exception {
        Deployment.MarketEntry entry = deployment.market(LocalSystem.AUCTION_PROPERTY.id());
        MarketId market = MarketId.of(entry.id());
        AnvilControl control = new AnvilControl(anvil);
        Address keeper = Address.of(deployment.accounts().liquidator());

        // 1. The node's keeper flags what crossed; each window's end as the node reports it.
        List<Position> crossed =
                positions(node, market).stream()
                        .filter(p -> p.debt().signum() > 0 && p.healthFactor().isLiquidatable())
                        .toList();
        List<Position> flaggedNow =
                await(
                        "the node's keeper to flag the "
                                + crossed.size()
                                + " positions that crossed",
                        () -> positions(node, market),
                        ps ->
                                crossed.stream()
                                        .allMatch(
                                                c ->
                                                        find(ps, c.account())
                                                                .actionability()
                                                                .cureWindowEndsAt()
                                                                .isPresent()));
        Map<Address, Window> flagged = new LinkedHashMap<>();
        for (Position c : crossed) {
            Position p = find(flaggedNow, c.account());
            Instant ends = p.actionability().cureWindowEndsAt().orElseThrow();
            flagged.put(
                    p.account(), new Window(p.actionability().cureFlaggedAt().orElseThrow(), ends));
            out.printf(
                    "      the node's keeper flagged %s (health %s): its cure window ends %s%n",
                    Money.shortAddress(p.account().toChecksumHex()),
                    Money.ratio(p.healthFactor().toWad().raw()),
                    ends);
        }

        // 2. The borrower closest to the line cures: repays down to 60% LTV of today's appraisal.
        Position closest =
                crossed.stream()
                        .max(Comparator.comparing(p -> p.healthFactor().toWad().raw()))
                        .orElseThrow(() -> new IllegalStateException("nothing crossed the line"));
        Credentials curer = keyOf(borrowers, closest.account());
        BigInteger repay =
                closest.debt()
                        .subtract(
                                closest.collateralValue()
                                        .multiply(BigInteger.valueOf(60))
                                        .divide(BigInteger.valueOf(100)))
                        .divide(Money.USD)
                        .add(BigInteger.ONE)
                        .multiply(Money.USD); // whole dollars, rounded up
        PoolReceipt cure;
        try (FreeholdPool pool = connect(anvil, deployment, curer)) {
            cure = pool.repay(market, TokenAmount.of(repay, 6));
        }
        Position cured =
                find(
                        await(
                                "the node to see the cure",
                                () -> positions(node, market),
                                ps -> {
                                    Position p = find(ps, closest.account());
                                    return p.asOf().blockNumber() >= cure.blockNumber()
                                            && p.actionability().cureFlaggedAt().isEmpty();
                                }),
                        closest.account());
        boolean cleared =
                cured.actionability().cureFlaggedAt().isEmpty()
                        && !cured.healthFactor().isLiquidatable();
        out.printf(
                "      borrower %s cured: repaid %s (repay through the on-chain SDK, block %d); health"
                        + " %s, its flag cleared%n",
                Money.shortAddress(closest.account().toChecksumHex()),
                Money.dollars(cure.assets().baseUnits()),
                cure.blockNumber(),
                Money.ratio(cured.healthFactor().toWad().raw()));
        Map<Address, Window> toSell = new LinkedHashMap<>(flagged);
        toSell.remove(closest.account());

        // 3. Past the window: the chain's clock jumps a day.
        long advanced = LocalSystem.AUCTION_CURE_WINDOW_SECONDS + 60;
        control.advanceTime(advanced);
        out.printf(
                "      the chain's clock moves %d hours ahead (anvil evm_increaseTime, then a block mined"
                        + " at once): the cure windows are over%n",
                advanced / HOUR);

        // 4. The node's keeper starts the auctions; what each is, as the node and the chain say.
        List<Position> inAuction =
                await(
                        "the node's keeper to start " + toSell.size() + " auctions",
                        () -> positions(node, market),
                        ps ->
                                toSell.keySet().stream()
                                        .allMatch(
                                                a ->
                                                        find(ps, a)
                                                                .actionability()
                                                                .auction()
                                                                .isPresent()));
        Map<Long, AuctionEvents.Round> startEvents = new LinkedHashMap<>();
        for (AuctionEvents.Round r : logged(anvil, deployment, fallBlock, AuctionEvents.STARTED)) {
            startEvents.put(r.auctionId(), r);
        }
        Map<Address, Auction> atStart = new LinkedHashMap<>();
        for (Address a : toSell.keySet()) {
            Auction auction = find(inAuction, a).actionability().auction().orElseThrow();
            atStart.put(a, auction);
            AuctionEvents.Round started = startEvents.get(auction.auctionId());
            out.printf(
                    "      the node's keeper started auction %d of %s: %s from %s to %s a token over %d"
                            + " hours, tab %s, keeper reward %s%n",
                    auction.auctionId(),
                    Money.shortAddress(a.toChecksumHex()),
                    Money.tokens(auction.lotLeft()),
                    Money.pricePerToken(auction.startPrice()),
                    Money.pricePerToken(auction.floorPrice()),
                    Duration.between(auction.startedAt(), auction.endsAt()).toHours(),
                    Money.dollars(auction.tabLeft()),
                    started == null ? "?" : Money.dollars(started.keeperReward()));
        }

        // 5. While they run: the node's auction state and cure flags against the contracts', on a
        // still chain so both are read at one block.
        control.intervalMining(0);
        AuctionBooks.Reconciliation running;
        try {
            long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
            await(
                    "the node to reach block " + head,
                    () -> node.status().appliedBlock(),
                    applied -> applied >= head);
            running = AuctionBooks.reconcile(node, anvil, deployment);
        } finally {
            control.intervalMining(1);
        }
        out.printf(
                "      node == chain while they run: %d positions' cure flags and %d auctions%s%n",
                running.positions(),
                running.auctions(),
                running.reconciles()
                        ? ", to the wei"
                        : "; "
                                + running.differences().size()
                                + " DIFFERENCES, first: "
                                + running.differences().get(0));

        // 6. A bidder: verified (the property token accepts it as a holder) and holding mUSD.
        Credentials bidder = anvil.credentials(5);
        var admin = anvil.transactionManager(anvil.credentials(0));
        IdentityRegistry.load(deployment.identityRegistry(), anvil.web3j(), admin, LocalSystem.GAS)
                .verify(bidder.getAddress())
                .send();
        MockStablecoin.load(deployment.stablecoin(), anvil.web3j(), admin, LocalSystem.GAS)
                .mint(bidder.getAddress(), LocalSystem.usd(250_000))
                .send();
        BigInteger appraisal = node.market(market).appraisal().price();
        BigInteger limit =
                appraisal
                        .multiply(BigInteger.valueOf(100).subtract(BIDDER_DISCOUNT_PERCENT))
                        .divide(BigInteger.valueOf(100));
        out.printf(
                "      a bidder %s (verified, holding %s) will pay at most %s a token (%s%% below the"
                        + " appraisal %s)%n",
                Money.shortAddress(Address.of(bidder.getAddress()).toChecksumHex()),
                Money.dollars(LocalSystem.usd(250_000)),
                Money.pricePerToken(limit),
                BIDDER_DISCOUNT_PERCENT,
                Money.pricePerToken(appraisal));

        // 7. The price falls: an hour at a time, until every lot is at or below the limit.
        List<Position> priced = inAuction;
        for (int hours = 1;
                !priced.stream().allMatch(p -> atOrBelow(p, limit)) && hours <= 6;
                hours++) {
            control.advanceTime(HOUR);
            advanced += HOUR;
            long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
            priced =
                    await(
                                    "the node to price block " + head,
                                    () -> positions(node, market),
                                    ps -> ps.stream().allMatch(p -> p.asOf().blockNumber() >= head))
                            .stream()
                            .filter(p -> toSell.containsKey(p.account()))
                            .toList();
            out.printf(
                    "      +%dh (evm_increaseTime + mine): prices %s a token%n",
                    hours,
                    priced.stream()
                            .map(
                                    p ->
                                            p.actionability()
                                                    .auction()
                                                    .flatMap(Auction::currentPrice)
                                                    .map(Money::pricePerToken)
                                                    .orElse("(needs a restart)"))
                            .collect(Collectors.joining(", ")));
        }

        // 8. The bidder takes each lot: all the debt needs, at no more than its limit.
        List<Sale> sales = new ArrayList<>();
        try (FreeholdPool pool = connect(anvil, deployment, bidder)) {
            FreeholdAuction auctions = pool.auction(market);
            for (Position p : priced) {
                Auction a = p.actionability().auction().orElseThrow();
                TakePreview preview = a.previewTake(Uint256.MAX);
                TakeReceipt r = auctions.takeAll(a.auctionId(), limit);
                sales.add(new Sale(startEvents.get(a.auctionId()), atStart.get(p.account()), r));
                out.printf(
                        "      the bidder took %s of auction %d at %s a token (maxPrice %s): paid %s"
                                + " (the node's preview at block %d: %s), block %d; %s back to %s,"
                                + " bad debt %s%n",
                        Money.tokens(r.bought().baseUnits()),
                        r.auctionId(),
                        Money.pricePerToken(r.price()),
                        Money.pricePerToken(limit),
                        Money.dollars(r.paid().baseUnits()),
                        p.asOf().blockNumber(),
                        Money.dollars(preview.paid()),
                        r.blockNumber(),
                        Money.tokens(r.lotLeft().baseUnits()),
                        Money.shortAddress(r.borrower().toChecksumHex()),
                        Money.dollars(r.badDebt().baseUnits()));
            }
        }
        long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        await(
                "the node to see the auctions end",
                () -> positions(node, market),
                ps ->
                        ps.stream()
                                .allMatch(
                                        p ->
                                                p.asOf().blockNumber() >= head
                                                        && p.actionability().auction().isEmpty()));
        return new Outcome(
                crossed.size(),
                flagged,
                closest.account(),
                cure.assets().baseUnits(),
                cleared,
                advanced,
                logged(anvil, deployment, fallBlock, AuctionEvents.STARTED),
                logged(anvil, deployment, fallBlock, AuctionEvents.RESTARTED),
                keeper,
                sales,
                running);
    }

    /**
     * The on-chain SDK signing as {@code key}, asking for receipts every 100 ms (a local chain
     * mines a block a second).
     */
    private static FreeholdPool connect(Anvil anvil, Deployment deployment, Credentials key) {
        return FreeholdPool.builder()
                .web3j(anvil.web3j())
                .signer(key)
                .pool(Address.of(deployment.lendingPool()))
                .chainId(anvil.chainId())
                .receiptPollInterval(Duration.ofMillis(100))
                .build();
    }

    private static boolean atOrBelow(Position p, BigInteger limit) {
        return p.actionability()
                .auction()
                .flatMap(Auction::currentPrice)
                .map(price -> price.compareTo(limit) <= 0)
                .orElse(false);
    }

    private static List<Position> positions(FreeholdClient node, MarketId market) {
        try (var s = node.positions(PositionQuery.builder().market(market).build())) {
            return s.toList();
        }
    }

    private static Position find(List<Position> positions, Address account) {
        return positions.stream()
                .filter(p -> p.account().equals(account))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the node does not serve " + account));
    }

    private static Credentials keyOf(List<Borrowers.Borrower> borrowers, Address account) {
        return borrowers.stream()
                .filter(b -> Address.of(b.address()).equals(account))
                .findFirst()
                .orElseThrow()
                .key();
    }

    /** {@code event}s the auction contract logged from {@code fromBlock} to the head. */
    static <T> List<T> logged(Anvil anvil, Deployment deployment, long fromBlock, AbiEvent<T> event)
            throws Exception {
        EthFilter filter =
                new EthFilter(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                        DefaultBlockParameter.valueOf("latest"),
                        deployment.dutchAuction());
        filter.addSingleTopic(event.topic());
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> r : anvil.web3j().ethGetLogs(filter).send().getLogs()) {
            logs.add((Log) r.get());
        }
        return event.from(logs, Address.of(deployment.dutchAuction()));
    }

    /** What a step waits for: a read of the node, until it satisfies {@code done}. */
    interface Read<T> {
        T get() throws Exception;
    }

    private static <T> T await(String what, Read<T> read, Predicate<T> done) throws Exception {
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException(
                        "gave up waiting "
                                + GIVE_UP.toSeconds()
                                + "s for "
                                + what
                                + "; the node's log says why");
            }
            Thread.sleep(200);
        }
    }
}
