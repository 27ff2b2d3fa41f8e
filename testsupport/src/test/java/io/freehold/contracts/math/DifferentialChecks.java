package io.freehold.contracts.math;

import io.freehold.contracts.bindings.PoolStructs;
import io.freehold.contracts.generated.LendingPool;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * What the differential test compares: the chain's views against the mirror valued with this
 * package, and a transaction's outcome and events against its preview. Mismatches are collected, so
 * one failure shows every field that differs.
 */
final class DifferentialChecks {

    private final List<String> mismatches = new ArrayList<>();

    /** Fails with every mismatch collected, if any. */
    void assertNone(String context) {
        if (!mismatches.isEmpty()) {
            String all = String.join("\n  ", mismatches);
            mismatches.clear();
            throw new AssertionError(context + ": chain and Java differ:\n  " + all);
        }
    }

    void equal(String what, Object chain, Object java) {
        if (!Objects.equals(chain, java)) {
            mismatches.add(what + ": chain " + chain + ", Java " + java);
        }
    }

    /** Every market and every account's position at {@code block}, views against the mirror. */
    void views(
            ChainFixture chain,
            PoolMirror mirror,
            BigInteger block,
            long timestamp,
            List<String> accounts)
            throws IOException {
        ChainViews.Snapshot s = ChainViews.read(chain, block, accounts);
        for (ChainFixture.MarketRef ref : chain.markets) {
            String id = ref.idHex();
            String at = ref.name() + " at block " + block;
            MarketTerms terms = mirror.terms(id);
            MarketState accrued = mirror.market(id).accrueTo(terms, timestamp).market();
            equal(at + " market()", PoolStructs.market(s.markets().get(id)), accrued);
            equal(
                    at + " borrowRate()",
                    s.borrowRates().get(id),
                    accrued.borrowRatePerSecond(terms));
            String token = terms.collateralToken().hex();
            PoolRent rent = mirror.poolRent(token);
            equal(at + " rentIndex()", s.rentIndex().get(token), rent.index());
            equal(
                    at + " totalCollateralOf()",
                    s.totalCollateralOf().get(token),
                    rent.totalCollateral());
            equal(
                    at + " token.claimableRent(pool)",
                    s.poolClaimableFromToken().get(token),
                    rent.pending());
            PoolMirror.Feed feed = mirror.feed(token);
            boolean stale = feed.staleAt(timestamp);
            for (String account : accounts) {
                String key = PoolMirror.key(id, account);
                String who = at + " " + account;
                PositionState stored = mirror.position(id, account);
                equal(who + " positionShares()", PoolStructs.position(s.stored().get(key)), stored);
                PositionValuation v = Valuation.of(terms, accrued, stored, feed.price());
                position(who + " position().", s.positions().get(key), v);
                LendingPool.PositionView view = s.positions().get(key);
                equal(
                        who + " position().claimableRent",
                        view.claimableRent,
                        Rent.claimable(rent, stored));
                equal(
                        who + " position().priceUpdatedAt",
                        view.priceUpdatedAt,
                        BigInteger.valueOf(feed.updatedAt()));
                equal(who + " position().priceStale", view.priceStale, stale);
                equal(
                        who + " isLiquidatable()",
                        s.liquidatable().get(key),
                        v.liquidatable() && !stale);
                // The README's claim, on every position at every step: liquidatable exactly below
                // liquidationPrice.
                equal(
                        who + " liquidatable <=> price < liquidationPrice",
                        v.liquidatable(),
                        v.price().compareTo(v.liquidationPrice()) < 0);
            }
        }
    }

    private void position(String who, LendingPool.PositionView view, PositionValuation v) {
        equal(who + "supplyShares", view.supplyShares, v.supplyShares());
        equal(who + "supplyAssets", view.supplyAssets, v.supplyAssets());
        equal(who + "borrowShares", view.borrowShares, v.borrowShares());
        equal(who + "debt", view.debt, v.debt());
        equal(who + "collateral", view.collateral, v.collateral());
        equal(who + "collateralValue", view.collateralValue, v.collateralValue());
        equal(who + "ltv", view.ltv, v.ltv());
        equal(who + "healthFactor", view.healthFactor, v.healthFactor());
        equal(who + "liquidationPrice", view.liquidationPrice, v.liquidationPrice());
        equal(who + "maxBorrowable", view.maxBorrowable, v.maxBorrowable());
        equal(who + "price", view.price, v.price());
    }

    /** A reverted or accepted transaction against the revert a preview predicted. */
    void outcome(String what, ChainFixture.Sent sent, Optional<? extends Revert<?>> predicted) {
        equal(
                what + " revert data (node said: " + sent.revertReason() + ")",
                sent.revertData().orElse("none"),
                predicted.map(Revert::data).orElse("none"));
    }

    /** The receipt's AccrueInterest, if any, against the accrual predicted. */
    void accrual(String what, TransactionReceipt receipt, Optional<Accrual> predicted) {
        List<LendingPool.AccrueInterestEventResponse> events =
                only(
                        receipt,
                        LendingPool.ACCRUEINTEREST_EVENT,
                        LendingPool::getAccrueInterestEventFromLog);
        equal(what + " AccrueInterest emitted", !events.isEmpty(), predicted.isPresent());
        if (!events.isEmpty() && predicted.isPresent()) {
            var e = events.get(0);
            Accrual a = predicted.get();
            equal(what + " AccrueInterest.borrowRate", e.borrowRate, a.borrowRate());
            equal(what + " AccrueInterest.interest", e.interest, a.interest());
            equal(
                    what + " AccrueInterest.totalSupplyAssets",
                    e.totalSupplyAssets,
                    a.market().totalSupplyAssets());
            equal(
                    what + " AccrueInterest.totalBorrowAssets",
                    e.totalBorrowAssets,
                    a.market().totalBorrowAssets());
        }
    }

    /** The receipt's RentPulled amount (zero when absent) against the preview's. */
    void rentPulled(String what, TransactionReceipt receipt, BigInteger predicted) {
        BigInteger pulled =
                only(receipt, LendingPool.RENTPULLED_EVENT, LendingPool::getRentPulledEventFromLog)
                        .stream()
                        .map(e -> e.amount)
                        .reduce(BigInteger.ZERO, BigInteger::add);
        equal(what + " RentPulled.amount", pulled, predicted);
    }

    /** The Liquidate event against the liquidation preview. */
    void liquidation(String what, TransactionReceipt receipt, LiquidationPreview p) {
        List<LendingPool.LiquidateEventResponse> events =
                only(receipt, LendingPool.LIQUIDATE_EVENT, LendingPool::getLiquidateEventFromLog);
        equal(what + " Liquidate events", events.size(), 1);
        if (events.size() == 1) {
            var e = events.get(0);
            equal(what + " repaidAssets", e.repaidAssets, p.repaidAssets());
            equal(what + " repaidShares", e.repaidShares, p.repaidShares());
            equal(what + " seizedCollateral", e.seizedCollateral, p.seizedCollateral());
            equal(what + " badDebtAssets", e.badDebtAssets, p.badDebtAssets());
            equal(what + " badDebtShares", e.badDebtShares, p.badDebtShares());
        }
        rentPulled(what, receipt, p.rentPulled());
    }

    /** After the receipt was applied: the mirror's stored state against the preview's. */
    void stateAfter(
            String what,
            PoolMirror mirror,
            String marketId,
            String account,
            MarketState market,
            PositionState position,
            Optional<PoolRent> rent) {
        equal(what + " market after", mirror.market(marketId), market);
        equal(what + " position after", mirror.position(marketId, account), position);
        rent.ifPresent(
                r ->
                        equal(
                                what + " pool rent after",
                                mirror.poolRent(mirror.terms(marketId).collateralToken().hex()),
                                r));
    }

    static <T> List<T> only(
            TransactionReceipt receipt,
            org.web3j.abi.datatypes.Event event,
            java.util.function.Function<Log, T> decode) {
        String topic = EventEncoder.encode(event);
        List<T> out = new ArrayList<>();
        for (Log log : receipt.getLogs()) {
            if (!log.getTopics().isEmpty() && log.getTopics().get(0).equals(topic)) {
                out.add(decode.apply(log));
            }
        }
        return out;
    }
}
