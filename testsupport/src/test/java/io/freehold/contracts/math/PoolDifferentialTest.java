package io.freehold.contracts.math;

import static io.freehold.contracts.local.LocalSystem.tokens;
import static io.freehold.contracts.local.LocalSystem.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The Java math against the real pool on anvil, to the wei: a seeded random run of supplies,
 * withdrawals, collateral moves, borrows, repayments, appraisals, time jumps, rent and liquidations
 * across four markets, two lenders and five borrowers. Before each transaction {@link Previews} or
 * {@link Liquidations} predicts it from the mirrored state at the block's timestamp (which the test
 * sets); afterwards the revert data or the events must be exactly as predicted, the mirror rebuilt
 * from the receipt's logs must equal the predicted state, and every view of every market and of
 * every account's position, read at that block, must equal what {@link Valuation}, {@link
 * MarketState#accrueTo} and {@link Rent} compute from the mirror ({@link DifferentialRun} does the
 * checking).
 *
 * <p>Amounts are often chosen at the edges: exactly {@code maxBorrowable} and one more, exactly the
 * most collateral that may leave and one more, the debt and one more, the room under a cap and one
 * more, a price exactly at a borrower's liquidation price and one below.
 *
 * <p>Rerun a failing seed with {@code -Dfreehold.differential.seed=<seed>} (the chain's clock is
 * the test's, so a seed replays exactly); change the length with {@code
 * -Dfreehold.differential.actions=<n>}.
 */
class PoolDifferentialTest {

    private static final long DEFAULT_SEED = 1;
    private static final int DEFAULT_ACTIONS = 200;
    private static final long DAY = 24 * 3600;

    private enum Kind {
        SUPPLY(6),
        WITHDRAW(5),
        SUPPLY_COLLATERAL(8),
        WITHDRAW_COLLATERAL(6),
        BORROW(16),
        REPAY(8),
        PRICE(14),
        TIME(5),
        ACCRUE(2),
        LIQUIDATE(10),
        DEPOSIT_RENT(5),
        CLAIM_RENT(4),
        REPAY_WITH_RENT(4);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    private final long seed = Long.getLong("freehold.differential.seed", DEFAULT_SEED);
    private final int actions =
            Integer.getInteger("freehold.differential.actions", DEFAULT_ACTIONS);
    private DifferentialRun run;
    private Random random;

    @Test
    void theJavaMathMatchesThePoolToTheWeiOverASeededRandomRun() throws Exception {
        long started = System.nanoTime();
        int step = 0;
        try (ChainFixture chain = ChainFixture.start()) {
            run = new DifferentialRun(chain, seed);
            random = run.random;
            for (step = 1; step <= actions; step++) {
                run.refreshAgingPrices();
                act(pick());
            }
        } catch (AssertionError | Exception e) {
            throw new AssertionError(
                    "differential run with seed "
                            + seed
                            + " failed at step "
                            + step
                            + "; rerun with -Dfreehold.differential.seed="
                            + seed
                            + "\nlast actions:\n  "
                            + (run == null ? "none" : String.join("\n  ", run.recent())),
                    e);
        }
        System.out.printf(
                "differential run: seed %d, %d actions in %.1f s, chain time %d s: %s%n",
                seed,
                actions,
                (System.nanoTime() - started) / 1e9,
                run.now() - ChainFixture.GENESIS,
                run.tally());
        if (seed == DEFAULT_SEED && actions == DEFAULT_ACTIONS) {
            // The run is deterministic (the chain's clock is the test's), so this pins what it
            // covers.
            assertThat(run.tally())
                    .as("the default run exercises the interesting paths")
                    .containsKeys(
                            "SUPPLY ok",
                            "SUPPLY SupplyCapExceeded",
                            "WITHDRAW ok",
                            "WITHDRAW InsufficientLiquidity",
                            "WITHDRAW InsufficientSupplyShares",
                            "SUPPLY_COLLATERAL ok",
                            "WITHDRAW_COLLATERAL ok",
                            "WITHDRAW_COLLATERAL MaxLtvExceeded",
                            "WITHDRAW_COLLATERAL InsufficientCollateral",
                            "BORROW ok",
                            "BORROW MaxLtvExceeded",
                            "BORROW BorrowCapExceeded",
                            "REPAY ok",
                            "REPAY RepayExceedsDebt",
                            "REPAY_WITH_RENT ok",
                            "CLAIM_RENT ok",
                            "CLAIM_RENT ok, zero",
                            "LIQUIDATE ok, partial",
                            "LIQUIDATE ok, closed",
                            "LIQUIDATE ok, bad debt",
                            "LIQUIDATE PositionHealthy",
                            "LIQUIDATE MustNotLeaveDust",
                            "LIQUIDATE HealthWouldWorsen",
                            "BORROW InsufficientLiquidity");
        }
    }

    private Kind pick() {
        int total = 0;
        for (Kind k : Kind.values()) {
            total += k.weight;
        }
        int r = random.nextInt(total);
        for (Kind k : Kind.values()) {
            r -= k.weight;
            if (r < 0) {
                return k;
            }
        }
        throw new IllegalStateException();
    }

    private void act(Kind kind) throws Exception {
        ChainFixture.MarketRef market =
                run.chain.markets.get(random.nextInt(run.chain.markets.size()));
        // The capped market gets extra traffic: its caps and its large minLeftoverDebt are the rare
        // paths.
        ChainFixture.MarketRef capped = run.chain.markets.get(run.chain.markets.size() - 1);
        if (random.nextInt(4) == 0) {
            market = capped;
        }
        switch (kind) {
            case SUPPLY -> supply(market, pickOf(ChainFixture.LENDERS));
            case WITHDRAW -> {
                Slot slot = pick(ChainFixture.LENDERS, p -> p.supplyShares().signum() > 0);
                withdraw(slot.market(), slot.account());
            }
            case SUPPLY_COLLATERAL -> supplyCollateral(market, pickOf(ChainFixture.BORROWERS));
            case WITHDRAW_COLLATERAL -> {
                Slot slot = pick(ChainFixture.BORROWERS, p -> p.collateral().signum() > 0);
                withdrawCollateral(slot.market(), slot.account());
            }
            case BORROW -> {
                Slot slot = pick(ChainFixture.BORROWERS, p -> p.collateral().signum() > 0);
                borrow(slot.market(), slot.account());
            }
            case REPAY -> {
                Slot slot = pick(ChainFixture.BORROWERS, p -> p.borrowShares().signum() > 0);
                repay(slot.market(), slot.account());
            }
            case PRICE -> appraise(market);
            case TIME ->
                    run.jump(
                            random.nextInt(4) == 0
                                    ? 1 + random.nextInt(60)
                                    : 3600 + random.nextLong(12 * DAY));
            case ACCRUE -> {
                long t = run.tick();
                Accrual a = run.stored(market).accrueTo(run.terms(market), t);
                // accrueInterest as a market action with a zero amount: its preview is the accrual
                // alone.
                ActionPreview p =
                        new ActionPreview(
                                Optional.empty(),
                                Optional.of(a).filter(Accrual::emitsEvent),
                                a.market(),
                                PositionState.EMPTY,
                                Optional.empty(),
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                BigInteger.ZERO);
                run.action(
                        "ACCRUE",
                        market,
                        9,
                        BigInteger.ZERO,
                        p,
                        t,
                        run.chain.pool(9).accrueInterest(market.id()));
            }
            case LIQUIDATE -> liquidate(market);
            case DEPOSIT_RENT -> {
                BigInteger amount =
                        random.nextInt(4) == 0
                                ? BigInteger.valueOf(1 + random.nextInt(1_000))
                                : usd(1 + random.nextInt(5_000));
                run.other(
                        "DEPOSIT_RENT",
                        market.name() + " " + amount,
                        run.tick(),
                        run.chain.token(market.token(), ChainFixture.ADMIN).depositRent(amount));
            }
            case CLAIM_RENT -> {
                Slot slot = pick(ChainFixture.BORROWERS, p -> p.collateral().signum() > 0);
                claimRent(slot.market(), slot.account());
            }
            case REPAY_WITH_RENT -> {
                Slot slot =
                        pick(
                                ChainFixture.BORROWERS,
                                p -> p.collateral().signum() > 0 && p.borrowShares().signum() > 0);
                long t = run.tick();
                ActionPreview p =
                        Previews.repayWithRent(
                                run.terms(slot.market()),
                                run.stored(slot.market()),
                                t,
                                run.position(slot.market(), slot.account()),
                                run.rent(slot.market()));
                run.action(
                        "REPAY_WITH_RENT",
                        slot.market(),
                        slot.account(),
                        BigInteger.ZERO,
                        p,
                        t,
                        run.chain.pool(slot.account()).repayWithRent(slot.market().id()));
            }
        }
    }

    // ------------------------------------------------------------------ lenders

    private void supply(ChainFixture.MarketRef market, int lender) throws Exception {
        long t = run.tick();
        MarketTerms terms = run.terms(market);
        BigInteger room =
                terms.supplyCap()
                        .subtract(run.accrued(market, t).totalSupplyAssets())
                        .max(BigInteger.ONE);
        BigInteger assets =
                switch (random.nextInt(20)) {
                    case 0 -> BigInteger.ZERO;
                    case 1 -> BigInteger.ONE;
                    case 2, 3 -> terms.hasSupplyCap() ? room : usd(100_000);
                    case 4, 5 -> terms.hasSupplyCap() ? room.add(BigInteger.ONE) : usd(200_000);
                    default -> usd(1_000 + random.nextInt(400_000));
                };
        ActionPreview p =
                Previews.supply(terms, run.stored(market), t, run.position(market, lender), assets);
        run.action(
                "SUPPLY",
                market,
                lender,
                assets,
                p,
                t,
                run.chain.pool(lender).supply(market.id(), assets, run.chain.address(lender)));
    }

    private void withdraw(ChainFixture.MarketRef market, int lender) throws Exception {
        long t = run.tick();
        MarketState accrued = run.accrued(market, t);
        BigInteger owned = Valuation.supplyAssets(accrued, run.position(market, lender));
        BigInteger assets =
                switch (random.nextInt(20)) {
                    case 0 -> BigInteger.ZERO;
                    case 1, 2, 3, 4 -> Uint256.MAX;
                    case 5, 6 -> owned.add(BigInteger.ONE);
                    case 7 -> owned;
                    case 8 -> accrued.availableLiquidity().max(BigInteger.ONE);
                    case 9, 10 -> accrued.availableLiquidity().add(BigInteger.ONE);
                    default -> fraction(owned);
                };
        ActionPreview p =
                Previews.withdraw(
                        run.terms(market),
                        run.stored(market),
                        t,
                        run.position(market, lender),
                        assets);
        run.action(
                "WITHDRAW",
                market,
                lender,
                assets,
                p,
                t,
                run.chain.pool(lender).withdraw(market.id(), assets, run.chain.address(lender)));
    }

    // ------------------------------------------------------------------ borrowers

    private void supplyCollateral(ChainFixture.MarketRef market, int borrower) throws Exception {
        BigInteger balance =
                run.chain
                        .token(market.token(), borrower)
                        .balanceOf(run.chain.address(borrower))
                        .send();
        BigInteger assets =
                random.nextInt(20) == 0
                        ? BigInteger.ZERO
                        : fraction(balance.min(tokens(400))).max(BigInteger.ONE).min(balance);
        ActionPreview p =
                Previews.supplyCollateral(
                        run.terms(market),
                        run.stored(market),
                        run.position(market, borrower),
                        assets,
                        run.rent(market));
        run.action(
                "SUPPLY_COLLATERAL",
                market,
                borrower,
                assets,
                p,
                run.tick(),
                run.chain
                        .pool(borrower)
                        .supplyCollateral(market.id(), assets, run.chain.address(borrower)));
    }

    private void withdrawCollateral(ChainFixture.MarketRef market, int borrower) throws Exception {
        long t = run.tick();
        PositionState position = run.position(market, borrower);
        BigInteger price = run.price(market);
        BigInteger assets =
                switch (random.nextInt(20)) {
                    case 0 -> BigInteger.ZERO;
                    case 1, 2 -> position.collateral().add(BigInteger.ONE);
                    case 3, 4, 5 -> position.collateral();
                    case 6, 7, 8, 9 -> largestWithdrawable(market, t, position, price);
                    case 10, 11 ->
                            largestWithdrawable(market, t, position, price).add(BigInteger.ONE);
                    default -> fraction(position.collateral());
                };
        ActionPreview p =
                Previews.withdrawCollateral(
                        run.terms(market),
                        run.stored(market),
                        t,
                        position,
                        price,
                        assets,
                        run.rent(market));
        run.action(
                "WITHDRAW_COLLATERAL",
                market,
                borrower,
                assets,
                p,
                t,
                run.chain
                        .pool(borrower)
                        .withdrawCollateral(market.id(), assets, run.chain.address(borrower)));
    }

    /** The most collateral withdrawCollateral accepts now, found with the previews themselves. */
    private BigInteger largestWithdrawable(
            ChainFixture.MarketRef market, long t, PositionState position, BigInteger price) {
        BigInteger low = BigInteger.ZERO;
        BigInteger high = position.collateral();
        while (low.compareTo(high) < 0) {
            BigInteger mid = low.add(high).add(BigInteger.ONE).shiftRight(1);
            if (Previews.withdrawCollateral(
                            run.terms(market), run.stored(market), t, position, price, mid)
                    .reverts()) {
                high = mid.subtract(BigInteger.ONE);
            } else {
                low = mid;
            }
        }
        return low.max(BigInteger.ONE);
    }

    private void borrow(ChainFixture.MarketRef market, int borrower) throws Exception {
        long t = run.tick();
        MarketTerms terms = run.terms(market);
        PositionState position = run.position(market, borrower);
        BigInteger price = run.price(market);
        BigInteger max =
                Valuation.of(terms, run.accrued(market, t), position, price).maxBorrowable();
        BigInteger assets =
                switch (random.nextInt(20)) {
                    case 0 -> BigInteger.ZERO;
                    case 1, 2, 3, 4, 5 -> max.max(BigInteger.ONE);
                    case 6, 7, 8 -> max.add(BigInteger.ONE);
                    case 9 -> usd(50_000 + random.nextInt(500_000));
                    case 10 ->
                            terms.hasBorrowCap()
                                    ? terms.borrowCap()
                                            .subtract(run.accrued(market, t).totalBorrowAssets())
                                            .add(BigInteger.ONE)
                                            .max(BigInteger.ONE)
                                    : fraction(max).max(BigInteger.ONE);
                    default -> fraction(max).max(BigInteger.ONE);
                };
        ActionPreview p = Previews.borrow(terms, run.stored(market), t, position, price, assets);
        run.action(
                "BORROW",
                market,
                borrower,
                assets,
                p,
                t,
                run.chain.pool(borrower).borrow(market.id(), assets, run.chain.address(borrower)));
    }

    private void repay(ChainFixture.MarketRef market, int borrower) throws Exception {
        long t = run.tick();
        PositionState position = run.position(market, borrower);
        BigInteger debt = Valuation.debt(run.accrued(market, t), position);
        BigInteger assets =
                switch (random.nextInt(20)) {
                    case 0 -> BigInteger.ZERO;
                    case 1 -> BigInteger.ONE;
                    case 2, 3, 4, 5 -> Uint256.MAX;
                    case 6, 7, 8 -> debt;
                    case 9, 10 -> debt.add(BigInteger.ONE);
                    default -> fraction(debt).max(BigInteger.ONE);
                };
        // Someone else may repay on the borrower's behalf.
        int payer = random.nextInt(4) == 0 ? ChainFixture.LIQUIDATOR : borrower;
        ActionPreview p =
                Previews.repay(run.terms(market), run.stored(market), t, position, assets);
        run.action(
                "REPAY",
                market,
                borrower,
                assets,
                p,
                t,
                run.chain.pool(payer).repay(market.id(), assets, run.chain.address(borrower)));
    }

    private void claimRent(ChainFixture.MarketRef market, int borrower) throws Exception {
        ActionPreview p =
                Previews.claimRent(
                        run.stored(market), run.position(market, borrower), run.rent(market));
        ChainFixture.Sent sent =
                run.action(
                        "CLAIM_RENT",
                        market,
                        borrower,
                        BigInteger.ZERO,
                        p,
                        run.tick(),
                        run.chain
                                .pool(borrower)
                                .claimRent(market.id(), run.chain.address(borrower)));
        // One RentClaimed per claim, also when it pays 0: the mirror settles the position on it.
        List<BigInteger> claimed =
                DifferentialChecks.only(
                                sent.receipt(),
                                LendingPool.RENTCLAIMED_EVENT,
                                LendingPool::getRentClaimedEventFromLog)
                        .stream()
                        .map(c -> c.amount)
                        .toList();
        assertThat(claimed).as("CLAIM_RENT amount").containsExactly(p.assets());
    }

    // ------------------------------------------------------------------ appraisals and
    // liquidations

    private void appraise(ChainFixture.MarketRef market) throws Exception {
        long t = run.tick();
        BigInteger price = run.price(market);
        BigInteger next;
        Integer target = null;
        List<Integer> indebted = new ArrayList<>();
        for (int b : ChainFixture.BORROWERS) {
            PositionState p = run.position(market, b);
            if (p.borrowShares().signum() > 0 && p.collateral().signum() > 0) {
                indebted.add(b);
            }
        }
        if (!indebted.isEmpty() && random.nextInt(10) < 7) {
            // Aim at a borrower's liquidation price: exactly it (healthy), one below
            // (liquidatable), or below.
            target = indebted.get(random.nextInt(indebted.size()));
            BigInteger at =
                    Valuation.of(
                                    run.terms(market),
                                    run.accrued(market, t),
                                    run.position(market, target),
                                    price)
                            .liquidationPrice();
            next =
                    switch (random.nextInt(20)) {
                        case 0, 1, 2 -> at;
                        case 3, 4, 5 -> at.subtract(BigInteger.ONE);
                        case 6, 7, 8, 9 -> percent(at, 97);
                        case 10, 11, 12, 13, 14 -> percent(at, 90);
                        default -> percent(at, 60);
                    };
        } else {
            next = percent(price, 80 + random.nextInt(40));
        }
        next = next.max(BigInteger.ONE);
        run.other(
                "PRICE",
                market.name() + " " + price + " -> " + next,
                t,
                run.chain.oracle().forceAppraisal(market.token(), next, "differential test"));
        if (target != null && random.nextInt(10) < 7) {
            liquidate(market, target, run.tick()); // a bot that was watching that price
        }
    }

    private void liquidate(ChainFixture.MarketRef market) throws Exception {
        long t = run.tick();
        MarketState accrued = run.accrued(market, t);
        List<Integer> liquidatable = new ArrayList<>();
        for (int b : ChainFixture.BORROWERS) {
            if (Valuation.of(run.terms(market), accrued, run.position(market, b), run.price(market))
                    .liquidatable()) {
                liquidatable.add(b);
            }
        }
        liquidate(
                market,
                !liquidatable.isEmpty() && random.nextInt(8) > 0
                        ? pickOf(liquidatable)
                        : pickOf(ChainFixture.BORROWERS),
                t);
    }

    private void liquidate(ChainFixture.MarketRef market, int borrower, long t) throws Exception {
        MarketState accrued = run.accrued(market, t);
        PositionState position = run.position(market, borrower);
        BigInteger debt = Valuation.debt(accrued, position);
        BigInteger minLeftover = run.terms(market).minLeftoverDebt();
        BigInteger request =
                switch (random.nextInt(20)) {
                    case 0 -> BigInteger.ZERO;
                    case 1 -> BigInteger.ONE;
                    case 2, 3, 4, 5, 6, 7 -> Uint256.MAX;
                    case 8 -> debt;
                    // leaving exactly the minimum debt, or one unit less
                    case 9 -> debt.subtract(minLeftover).max(BigInteger.ONE);
                    case 10, 11 ->
                            debt.subtract(minLeftover).add(BigInteger.ONE).max(BigInteger.ONE);
                    default -> fraction(debt).max(BigInteger.ONE);
                };
        LiquidationPreview p =
                Liquidations.preview(
                        run.terms(market),
                        accrued,
                        position,
                        run.price(market),
                        request,
                        run.rent(market));
        run.liquidation(
                market,
                borrower,
                request,
                p,
                run.stored(market).accrueTo(run.terms(market), t),
                t,
                run.chain
                        .pool(ChainFixture.LIQUIDATOR)
                        .liquidate(
                                market.id(),
                                run.chain.address(borrower),
                                request,
                                run.chain.address(ChainFixture.LIQUIDATOR)));
    }

    // ------------------------------------------------------------------ choosing

    /** A position in some market. */
    private record Slot(ChainFixture.MarketRef market, int account) {}

    /**
     * Mostly a position that satisfies {@code interesting}, sometimes any, so both kinds get
     * exercised.
     */
    private Slot pick(List<Integer> among, Predicate<PositionState> interesting) {
        List<Slot> candidates = new ArrayList<>();
        for (ChainFixture.MarketRef market : run.chain.markets) {
            for (int account : among) {
                if (interesting.test(run.position(market, account))) {
                    candidates.add(new Slot(market, account));
                }
            }
        }
        if (candidates.isEmpty() || random.nextInt(8) == 0) {
            return new Slot(
                    run.chain.markets.get(random.nextInt(run.chain.markets.size())), pickOf(among));
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private int pickOf(List<Integer> accounts) {
        return accounts.get(random.nextInt(accounts.size()));
    }

    /** A random amount between 1% and 100% of {@code whole}. */
    private BigInteger fraction(BigInteger whole) {
        return percent(whole, 1 + random.nextInt(100));
    }

    private static BigInteger percent(BigInteger whole, int percent) {
        return whole.multiply(BigInteger.valueOf(percent)).divide(BigInteger.valueOf(100));
    }
}
