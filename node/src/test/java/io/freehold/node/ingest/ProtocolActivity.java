package io.freehold.node.ingest;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.utils.Numeric;

/**
 * Random protocol activity on a real anvil with the local system deployed: lenders supply and
 * withdraw, borrowers lock collateral, borrow, repay and withdraw it, the appraiser moves prices
 * (sometimes crashing one so positions become liquidatable), time jumps, a liquidator liquidates,
 * the agent freezes and pauses, rent is deposited and claimed, identities are removed and restored.
 * The same seed gives the same sequence of attempts; attempts the contracts refuse revert on chain
 * (mined, no logs), which is part of the test too.
 */
public final class ProtocolActivity {

    enum Action {
        SUPPLY,
        WITHDRAW,
        SUPPLY_COLLATERAL,
        WITHDRAW_COLLATERAL,
        BORROW,
        REPAY,
        PRICE,
        CRASH,
        TIME,
        LIQUIDATE,
        FREEZE,
        PAUSE,
        RENT,
        CLAIM_RENT,
        REPAY_WITH_RENT,
        IDENTITY,
        // only with the auction market (deployWithAuctions):
        FLAG,
        START_AUCTION,
        TAKE_OR_RESTART
    }

    // accounts: 0 admin (agent, issuer, appraiser), 1/4/5 lenders, 2/6/7/8 borrowers, 3 liquidator
    private static final int[] LENDERS = {1, 4, 5};
    private static final int[] BORROWERS = {2, 6, 7, 8};
    private static final int LIQUIDATOR = 3;

    public final Anvil anvil;
    public final Deployment deployment;
    private final Random random;
    private final org.web3j.protocol.http.HttpService rpc;
    private final List<String> tokens = new ArrayList<>();
    private final List<byte[]> markets = new ArrayList<>();
    private final Map<Action, int[]> counts = new EnumMap<>(Action.class); // [attempted, succeeded]
    // The auction market's id, or null: without it the activity is what it was before auctions.
    private final byte[] auctionMarket;

    public ProtocolActivity(Anvil anvil, Deployment deployment, long seed) throws Exception {
        this.anvil = anvil;
        this.deployment = deployment;
        this.random = new Random(seed);
        Deployment.MarketEntry auctionEntry =
                deployment.markets().get(LocalSystem.AUCTION_PROPERTY.id());
        this.auctionMarket =
                auctionEntry == null ? null : Numeric.hexStringToByteArray(auctionEntry.id());
        this.rpc = new org.web3j.protocol.http.HttpService(anvil.rpcUrl());
        deployment
                .markets()
                .values()
                .forEach(
                        m -> {
                            tokens.add(m.propertyToken());
                            markets.add(Numeric.hexStringToByteArray(m.id()));
                        });
        setUpAccounts();
    }

    /** Deploys the local system on {@code anvil} and prepares the extra accounts. */
    public static ProtocolActivity deploy(Anvil anvil, long seed) throws Exception {
        return new ProtocolActivity(anvil, LocalSystem.deploy(anvil), seed);
    }

    /**
     * Deploys the local system with its auction market: the activity also flags positions, clears
     * flags, starts auctions, takes from them and restarts them, as keepers and takers do.
     */
    public static ProtocolActivity deployWithAuctions(Anvil anvil, long seed) throws Exception {
        return new ProtocolActivity(
                anvil, LocalSystem.deploy(anvil, LocalSystem.Options.withAuctionMarket()), seed);
    }

    private void setUpAccounts() throws Exception {
        Credentials admin = anvil.credentials(0);
        List<String> extra = new ArrayList<>();
        for (int i = 4; i <= 8; i++) {
            extra.add(anvil.credentials(i).getAddress());
        }
        registry(admin).verifyBatch(extra).send();
        MockStablecoin usd = usd(admin);
        for (int i : new int[] {1, 2, 3, 4, 5, 6, 7, 8}) {
            String who = anvil.credentials(i).getAddress();
            usd.mint(who, LocalSystem.usd(1_000_000)).send();
            usd(anvil.credentials(i)).approve(deployment.lendingPool(), Uint.MAX).send();
            for (String token : tokens) {
                if (i >= 6) {
                    PropertyToken.load(
                                    token,
                                    anvil.web3j(),
                                    anvil.transactionManager(admin),
                                    LocalSystem.GAS)
                            .transfer(who, LocalSystem.tokens(1_000))
                            .send();
                }
                token(token, anvil.credentials(i))
                        .approve(deployment.lendingPool(), Uint.MAX)
                        .send();
            }
        }
    }

    /** Runs {@code steps} random attempts. */
    public void run(int steps) throws Exception {
        for (int i = 0; i < steps; i++) {
            step();
        }
    }

    /** One random attempt. */
    void step() throws Exception {
        Action action = pick();
        int market = random.nextInt(markets.size());
        byte[] id = markets.get(market);
        String token = tokens.get(market);
        int lender = LENDERS[random.nextInt(LENDERS.length)];
        int borrower = BORROWERS[random.nextInt(BORROWERS.length)];
        counts.computeIfAbsent(action, a -> new int[2])[0]++;
        boolean ok;
        try {
            ok = attempt(action, id, token, lender, borrower);
        } catch (TransactionException e) {
            ok = false; // reverted on chain: mined, no logs
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof TransactionException)
                    && !String.valueOf(e.getMessage()).contains("revert")) {
                throw e;
            }
            ok = false;
        }
        if (ok) {
            counts.get(action)[1]++;
        }
    }

    private boolean attempt(Action action, byte[] id, String token, int lender, int borrower)
            throws Exception {
        switch (action) {
            case SUPPLY ->
                    pool(lender)
                            .supply(
                                    id,
                                    LocalSystem.usd(1_000 + random.nextInt(50_000)).add(odd()),
                                    address(lender))
                            .send();
            case WITHDRAW -> {
                BigInteger owned = pool(lender).position(id, address(lender)).send().supplyAssets;
                if (owned.signum() == 0) {
                    return false;
                }
                pool(lender).withdraw(id, fraction(owned), address(lender)).send();
            }
            case SUPPLY_COLLATERAL ->
                    pool(borrower)
                            .supplyCollateral(
                                    id,
                                    LocalSystem.tokens(1 + random.nextInt(60)).add(odd()),
                                    address(borrower))
                            .send();
            case WITHDRAW_COLLATERAL -> {
                LendingPool.PositionView v = pool(borrower).position(id, address(borrower)).send();
                if (v.collateral.signum() == 0) {
                    return false;
                }
                BigInteger amount =
                        v.borrowShares.signum() == 0
                                ? fraction(v.collateral)
                                : fraction(v.collateral)
                                        .divide(BigInteger.valueOf(8))
                                        .max(BigInteger.ONE);
                pool(borrower).withdrawCollateral(id, amount, address(borrower)).send();
            }
            case BORROW -> {
                BigInteger max =
                        pool(borrower).position(id, address(borrower)).send().maxBorrowable;
                if (max.signum() == 0) {
                    return false;
                }
                pool(borrower)
                        .borrow(id, random.nextBoolean() ? max : fraction(max), address(borrower))
                        .send();
            }
            case REPAY -> {
                BigInteger debt = pool(borrower).position(id, address(borrower)).send().debt;
                if (debt.signum() == 0) {
                    return false;
                }
                pool(borrower)
                        .repay(
                                id,
                                random.nextInt(3) == 0 ? debt : fraction(debt),
                                address(borrower))
                        .send();
            }
            case PRICE -> {
                BigInteger price = oracle().latestPrice(token).send().component1();
                int bps = random.nextInt(1_801) - 900; // within the feed's 10% ordinary move
                oracle().submitAppraisal(
                                token,
                                price.multiply(BigInteger.valueOf(10_000 + bps))
                                        .divide(BigInteger.valueOf(10_000)))
                        .send();
            }
            case CRASH -> {
                BigInteger price = oracle().latestPrice(token).send().component1();
                oracle().forceAppraisal(
                                token,
                                price.multiply(BigInteger.valueOf(55 + random.nextInt(30)))
                                        .divide(BigInteger.valueOf(100)),
                                "test: a comparable sold far below")
                        .send();
                if (liquidateFirst()) {
                    counts.computeIfAbsent(Action.LIQUIDATE, a -> new int[2])[
                            1]++; // a liquidator reacts at once
                }
            }
            case TIME -> {
                // mostly hours to days; now and then past the feeds' 30-day max age, so prices go
                // stale
                advance(
                        1
                                + random.nextInt(
                                        random.nextInt(12) == 0 ? 40 * 24 * 3600 : 3 * 24 * 3600));
                if (random.nextInt(3) > 0) {
                    refreshPrices();
                }
            }
            case LIQUIDATE -> {
                return liquidateFirst();
            }
            case FREEZE -> {
                int who = random.nextBoolean() ? borrower : LIQUIDATOR;
                PropertyToken t = token(token, anvil.credentials(0));
                t.setFrozen(address(who), !t.isFrozen(address(who)).send()).send();
            }
            case PAUSE -> {
                PropertyToken t = token(token, anvil.credentials(0));
                if (t.paused().send()) {
                    t.unpause().send();
                } else if (random.nextBoolean()) {
                    t.pause().send();
                } else {
                    return false;
                }
            }
            case RENT -> {
                usd(anvil.credentials(0)).approve(token, Uint.MAX).send();
                token(token, anvil.credentials(0))
                        .depositRent(LocalSystem.usd(10 + random.nextInt(5_000)).add(odd()))
                        .send();
            }
            case CLAIM_RENT -> pool(borrower).claimRent(id, address(borrower)).send();
            case REPAY_WITH_RENT -> pool(borrower).repayWithRent(id).send();
            case FLAG -> {
                return flagOrClear();
            }
            case START_AUCTION -> {
                return startAuction();
            }
            case TAKE_OR_RESTART -> {
                return takeOrRestart();
            }
            case IDENTITY -> {
                String who = address(BORROWERS[random.nextInt(BORROWERS.length)]);
                IdentityRegistry r = registry(anvil.credentials(0));
                if (r.isVerified(who).send()) {
                    r.unverify(who).send();
                } else {
                    r.verify(who).send();
                }
            }
        }
        return true;
    }

    /**
     * Flags the first unhealthy position of the auction market (confirming a flag that holds), or
     * clears the flag of a healthy one; a random pick would rarely find either.
     */
    private boolean flagOrClear() throws Exception {
        for (int b : BORROWERS) {
            LendingPool.PositionView v =
                    pool(LIQUIDATOR).position(auctionMarket, address(b)).send();
            LendingPool.CureFlag f = pool(LIQUIDATOR).cureFlag(auctionMarket, address(b)).send();
            if (f.inAuction || v.borrowShares.signum() == 0) {
                continue;
            }
            try {
                if (v.healthFactor.compareTo(LocalSystem.WAD) < 0) {
                    pool(LIQUIDATOR).flag(auctionMarket, address(b)).send();
                    return true;
                } else if (f.flaggedAt.signum() != 0) {
                    pool(LIQUIDATOR).clearFlag(auctionMarket, address(b)).send();
                    return true;
                }
            } catch (TransactionException e) {
                // a stale price, a paused token
            }
        }
        return false;
    }

    /** Starts an auction of the first position {@code start} accepts, the liquidator as keeper. */
    private boolean startAuction() throws Exception {
        for (int b : BORROWERS) {
            if (pool(LIQUIDATOR).isLiquidatable(auctionMarket, address(b)).send()) {
                try {
                    auction(LIQUIDATOR)
                            .start(auctionMarket, address(b), address(LIQUIDATOR))
                            .send();
                    return true;
                } catch (TransactionException e) {
                    // e.g. the token is paused
                }
            }
        }
        return false;
    }

    /**
     * Takes part or all of the first active auction at its current price, or restarts it when it
     * passed its floor time.
     */
    private boolean takeOrRestart() throws Exception {
        DutchAuction a = auction(LIQUIDATOR);
        long count = a.auctionCount().send().longValueExact();
        long now =
                anvil.web3j()
                        .ethGetBlockByNumber(
                                org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
                        .send()
                        .getBlock()
                        .getTimestamp()
                        .longValueExact();
        for (long id = 1; id <= count; id++) {
            DutchAuction.Auction state = a.auction(BigInteger.valueOf(id)).send();
            if (!state.active) {
                continue;
            }
            long endsAt =
                    state.startedAt.longValueExact()
                            + LocalSystem.auctionParams().duration.longValueExact();
            if (now + 1 > endsAt) {
                a.restart(BigInteger.valueOf(id), address(LIQUIDATOR)).send();
                return true;
            }
            BigInteger lot =
                    pool(LIQUIDATOR).position(auctionMarket, state.borrower).send().collateral;
            BigInteger amount = random.nextInt(3) == 0 ? Uint.MAX : fraction(lot);
            a.take(BigInteger.valueOf(id), amount, Uint.MAX, address(LIQUIDATOR)).send();
            return true;
        }
        return false;
    }

    /**
     * Every borrower locks collateral in the auction market and borrows what it allows: the
     * positions a later fall of its price puts into flags and auctions.
     */
    public void leverUpAuctionMarket() throws Exception {
        // On a fresh appraisal of an unpaused token, whatever the random activity left.
        String token = deployment.markets().get(LocalSystem.AUCTION_PROPERTY.id()).propertyToken();
        PropertyToken t = token(token, anvil.credentials(0));
        if (t.paused().send()) {
            t.unpause().send();
        }
        moveAuctionMarketPrice(100);
        for (int b : BORROWERS) {
            try {
                pool(b).supplyCollateral(
                                auctionMarket,
                                LocalSystem.tokens(20 + random.nextInt(40)).add(odd()),
                                address(b))
                        .send();
                BigInteger max = pool(b).position(auctionMarket, address(b)).send().maxBorrowable;
                if (max.signum() > 0) {
                    pool(b).borrow(auctionMarket, max, address(b)).send();
                }
            } catch (TransactionException e) {
                // in auction, frozen, unverified, out of tokens or a stale price: as it happens
            }
        }
    }

    /**
     * Keepers at work on the auction market, for certain rather than at random: flag the first
     * unhealthy position, start an auction of the first one {@code start} accepts, take the whole
     * lot of every active auction (restarting a stale one first), and its borrower withdraws what
     * the debt did not need.
     */
    public void keepersAct() throws Exception {
        flagOrClear();
        startAuction();
        DutchAuction a = auction(LIQUIDATOR);
        long count = a.auctionCount().send().longValueExact();
        for (long id = 1; id <= count; id++) {
            DutchAuction.Auction state = a.auction(BigInteger.valueOf(id)).send();
            if (!state.active) {
                continue;
            }
            try {
                a.take(BigInteger.valueOf(id), Uint.MAX, Uint.MAX, address(LIQUIDATOR)).send();
            } catch (TransactionException e) {
                a.restart(BigInteger.valueOf(id), address(LIQUIDATOR)).send();
                a.take(BigInteger.valueOf(id), Uint.MAX, Uint.MAX, address(LIQUIDATOR)).send();
            }
            // The borrower takes back what the debt did not need, unlocked again.
            for (int b : BORROWERS) {
                if (address(b).equalsIgnoreCase(state.borrower)) {
                    BigInteger left = pool(b).position(auctionMarket, address(b)).send().collateral;
                    if (left.signum() > 0) {
                        pool(b).withdrawCollateral(auctionMarket, left, address(b)).send();
                    }
                }
            }
        }
    }

    /** Forces the auction market's appraisal to {@code percent} % of what it is. */
    public void moveAuctionMarketPrice(int percent) throws Exception {
        String token = deployment.markets().get(LocalSystem.AUCTION_PROPERTY.id()).propertyToken();
        BigInteger price = oracle().latestPrice(token).send().component1();
        oracle().forceAppraisal(
                        token,
                        price.multiply(BigInteger.valueOf(percent)).divide(BigInteger.valueOf(100)),
                        "test: the auction market's property re-appraised")
                .send();
    }

    /** Liquidates the first liquidatable position, if any: a random pick would rarely find one. */
    private boolean liquidateFirst() throws Exception {
        for (byte[] m : markets) {
            for (int b : BORROWERS) {
                if (pool(LIQUIDATOR).isLiquidatable(m, address(b)).send()) {
                    BigInteger debt = pool(LIQUIDATOR).position(m, address(b)).send().debt;
                    try {
                        pool(LIQUIDATOR)
                                .liquidate(
                                        m,
                                        address(b),
                                        random.nextBoolean() ? debt : fraction(debt),
                                        address(LIQUIDATOR))
                                .send();
                        return true;
                    } catch (TransactionException e) {
                        // e.g. the liquidator is frozen in this token, or a partial amount would
                        // leave dust
                    }
                }
            }
        }
        return false;
    }

    private Action pick() {
        if (auctionMarket != null && random.nextInt(3) == 0) {
            int k = random.nextInt(5);
            return k == 0 ? Action.FLAG : k == 1 ? Action.START_AUCTION : Action.TAKE_OR_RESTART;
        }
        int r = random.nextInt(100);
        if (r < 10) return Action.SUPPLY;
        if (r < 15) return Action.WITHDRAW;
        if (r < 30) return Action.SUPPLY_COLLATERAL;
        if (r < 35) return Action.WITHDRAW_COLLATERAL;
        if (r < 50) return Action.BORROW;
        if (r < 57) return Action.REPAY;
        if (r < 62) return Action.PRICE;
        if (r < 67) return Action.CRASH;
        if (r < 74) return Action.TIME;
        if (r < 82) return Action.LIQUIDATE;
        if (r < 85) return Action.FREEZE;
        if (r < 87) return Action.PAUSE;
        if (r < 91) return Action.RENT;
        if (r < 95) return Action.CLAIM_RENT;
        if (r < 97) return Action.REPAY_WITH_RENT;
        return Action.IDENTITY;
    }

    /**
     * A fresh appraisal at the current price for every property, as appraisers do on a schedule.
     */
    private void refreshPrices() throws Exception {
        for (String t : tokens) {
            oracle().submitAppraisal(t, oracle().latestPrice(t).send().component1()).send();
        }
    }

    /** Moves the chain's clock forward and mines a block at the new time. */
    public void advance(long seconds) throws Exception {
        new Request<>("evm_increaseTime", List.of(seconds), rpc, VoidResponse.class).send();
        mine();
    }

    public void mine() throws Exception {
        new Request<>("evm_mine", List.of(), rpc, VoidResponse.class).send();
    }

    /** Successful attempts per action, for the test's message. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        counts.forEach(
                (a, c) ->
                        s.append(a).append(' ').append(c[1]).append('/').append(c[0]).append(", "));
        return s.toString();
    }

    int succeeded(Action action) {
        int[] c = counts.get(action);
        return c == null ? 0 : c[1];
    }

    List<byte[]> markets() {
        return markets;
    }

    List<String> tokens() {
        return tokens;
    }

    /** Every account that may hold a position. */
    public List<String> accounts() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i <= 8; i++) {
            all.add(address(i));
        }
        return all;
    }

    private BigInteger fraction(BigInteger amount) {
        return amount.multiply(BigInteger.valueOf(1 + random.nextInt(100)))
                .divide(BigInteger.valueOf(100))
                .max(BigInteger.ONE);
    }

    /** A few odd base units, so amounts are not round and rounding paths are exercised. */
    private BigInteger odd() {
        return BigInteger.valueOf(random.nextInt(1_000_000));
    }

    private String address(int account) {
        return anvil.credentials(account).getAddress();
    }

    private LendingPool pool(int account) {
        return LocalSystem.pool(anvil, deployment, anvil.credentials(account));
    }

    private DutchAuction auction(int account) {
        return LocalSystem.auction(anvil, deployment, anvil.credentials(account));
    }

    private AppraisalOracle oracle() {
        return AppraisalOracle.load(
                deployment.oracle(),
                anvil.web3j(),
                anvil.transactionManager(anvil.credentials(0)),
                LocalSystem.GAS);
    }

    private IdentityRegistry registry(Credentials as) {
        return IdentityRegistry.load(
                deployment.identityRegistry(),
                anvil.web3j(),
                anvil.transactionManager(as),
                LocalSystem.GAS);
    }

    private MockStablecoin usd(Credentials as) {
        return MockStablecoin.load(
                deployment.stablecoin(),
                anvil.web3j(),
                anvil.transactionManager(as),
                LocalSystem.GAS);
    }

    private PropertyToken token(String token, Credentials as) {
        return PropertyToken.load(
                token, anvil.web3j(), anvil.transactionManager(as), LocalSystem.GAS);
    }

    /** 2^256 - 1, the usual unlimited allowance. */
    private static final class Uint {
        static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    }
}
