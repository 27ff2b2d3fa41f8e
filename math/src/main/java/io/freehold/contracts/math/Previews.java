package io.freehold.contracts.math;

import static io.freehold.contracts.math.ActionRevert.INSUFFICIENT_COLLATERAL;
import static io.freehold.contracts.math.ActionRevert.INSUFFICIENT_LIQUIDITY;
import static io.freehold.contracts.math.ActionRevert.INSUFFICIENT_SUPPLY_SHARES;
import static io.freehold.contracts.math.ActionRevert.MAX_LTV_EXCEEDED;
import static io.freehold.contracts.math.ActionRevert.REPAY_EXCEEDS_DEBT;
import static io.freehold.contracts.math.ActionRevert.ZERO_AMOUNT;
import static io.freehold.contracts.math.ActionRevert.ZERO_SHARES;
import static java.math.BigInteger.ZERO;

import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Optional;

/**
 * What the pool's borrower and lender actions would do, computed offline, check for check in the
 * contract's order: the state after the transaction with its events' numbers, or the custom error
 * it would revert with ({@link ActionPreview}).
 *
 * <p>{@code market} is the market as stored (the chain's state before the transaction) and {@code
 * timestamp} the timestamp of the block the transaction lands in: the actions that accrue do it
 * themselves, exactly as the contract does. A market already accrued to {@code timestamp} works as
 * well (accruing again at the same second changes nothing).
 *
 * <p>Collateral actions settle rent. Given the pool's {@link PoolRent} for the collateral token,
 * the returned position and rent are exact; without it, the position's {@code rentIndexPaid} and
 * {@code rentAccrued} are left as they were (everything else is exact).
 *
 * <p>Checks that are not the math's are the caller's: see {@link ActionRevert} (notably a fresh
 * price for {@code borrow} and for {@code withdrawCollateral} with debt, and token balances and
 * allowances).
 */
public final class Previews {

    private Previews() {}

    // ------------------------------------------------------------------ lenders

    /**
     * {@code supply(id, assets, onBehalf)}: shares = toSharesDown(assets); {@code position} is
     * onBehalf's.
     */
    public static ActionPreview supply(
            MarketTerms terms,
            MarketState market,
            long timestamp,
            PositionState position,
            BigInteger assets) {
        if (isZero("assets", assets)) {
            return ActionPreview.reverted(
                    Revert.of(ZERO_AMOUNT), market, position, Optional.empty());
        }
        Accrual accrual = market.accrueTo(terms, timestamp);
        MarketState m = accrual.market();
        BigInteger shares =
                Shares.toSharesDown(assets, m.totalSupplyAssets(), m.totalSupplyShares());
        if (shares.signum() == 0) {
            return ActionPreview.reverted(
                    Revert.of(ZERO_SHARES), market, position, Optional.empty());
        }
        BigInteger newTotal =
                UintMath.add(m.totalSupplyAssets(), assets, "totalSupplyAssets + assets");
        if (terms.hasSupplyCap() && newTotal.compareTo(terms.supplyCap()) > 0) {
            return ActionPreview.reverted(
                    Revert.of(ActionRevert.SUPPLY_CAP_EXCEEDED, newTotal, terms.supplyCap()),
                    market,
                    position,
                    Optional.empty());
        }
        PositionState p =
                position.withSupplyShares(
                        UintMath.add(position.supplyShares(), shares, "supplyShares"));
        m =
                m.withSupply(
                        newTotal, UintMath.add(m.totalSupplyShares(), shares, "totalSupplyShares"));
        return accepted(accrual, m, p, Optional.empty(), assets, shares, ZERO);
    }

    /**
     * {@code withdraw(id, assets, receiver)} by the position's owner: shares burned =
     * toSharesUp(assets); {@code assets = type(uint256).max} ({@link Uint256#MAX}) withdraws every
     * share for toAssetsDown(shares).
     */
    public static ActionPreview withdraw(
            MarketTerms terms,
            MarketState market,
            long timestamp,
            PositionState position,
            BigInteger assets) {
        if (isZero("assets", assets)) {
            return ActionPreview.reverted(
                    Revert.of(ZERO_AMOUNT), market, position, Optional.empty());
        }
        Accrual accrual = market.accrueTo(terms, timestamp);
        MarketState m = accrual.market();
        BigInteger shares;
        BigInteger withdrawn;
        if (assets.equals(Uint256.MAX)) {
            shares = position.supplyShares();
            withdrawn = Shares.toAssetsDown(shares, m.totalSupplyAssets(), m.totalSupplyShares());
            if (withdrawn.signum() == 0) {
                return ActionPreview.reverted(
                        Revert.of(ZERO_AMOUNT), market, position, Optional.empty());
            }
        } else {
            shares = Shares.toSharesUp(assets, m.totalSupplyAssets(), m.totalSupplyShares());
            withdrawn = assets;
        }
        if (shares.compareTo(position.supplyShares()) > 0) {
            return ActionPreview.reverted(
                    Revert.of(INSUFFICIENT_SUPPLY_SHARES, shares, position.supplyShares()),
                    market,
                    position,
                    Optional.empty());
        }
        BigInteger available = m.availableLiquidity();
        if (withdrawn.compareTo(available) > 0) {
            return ActionPreview.reverted(
                    Revert.of(INSUFFICIENT_LIQUIDITY, available, withdrawn),
                    market,
                    position,
                    Optional.empty());
        }
        PositionState p = position.withSupplyShares(position.supplyShares().subtract(shares));
        m =
                m.withSupply(
                        UintMath.sub(
                                m.totalSupplyAssets(), withdrawn, "totalSupplyAssets - assets"),
                        UintMath.sub(m.totalSupplyShares(), shares, "totalSupplyShares - shares"));
        return accepted(accrual, m, p, Optional.empty(), withdrawn, shares, ZERO);
    }

    /** {@code withdraw(id, type(uint256).max, receiver)}: every share. */
    public static ActionPreview withdrawAll(
            MarketTerms terms, MarketState market, long timestamp, PositionState position) {
        return withdraw(terms, market, timestamp, position, Uint256.MAX);
    }

    // ------------------------------------------------------------------ borrowers

    /**
     * {@code borrow(id, assets, receiver)} by the position's owner at a fresh {@code price}: shares
     * = toSharesUp(assets); the debt afterwards must be within maxDebt(maxLtv).
     */
    public static ActionPreview borrow(
            MarketTerms terms,
            MarketState market,
            long timestamp,
            PositionState position,
            BigInteger price,
            BigInteger assets) {
        if (isZero("assets", assets)) {
            return ActionPreview.reverted(
                    Revert.of(ZERO_AMOUNT), market, position, Optional.empty());
        }
        Uint256.check(price, "price");
        Accrual accrual = market.accrueTo(terms, timestamp);
        MarketState m = accrual.market();
        BigInteger available = m.availableLiquidity();
        if (assets.compareTo(available) > 0) {
            return ActionPreview.reverted(
                    Revert.of(INSUFFICIENT_LIQUIDITY, available, assets),
                    market,
                    position,
                    Optional.empty());
        }
        BigInteger shares = Shares.toSharesUp(assets, m.totalBorrowAssets(), m.totalBorrowShares());
        PositionState p =
                position.withBorrowShares(
                        UintMath.add(position.borrowShares(), shares, "borrowShares"));
        m =
                m.withBorrow(
                        UintMath.add(m.totalBorrowAssets(), assets, "totalBorrowAssets + assets"),
                        UintMath.add(m.totalBorrowShares(), shares, "totalBorrowShares + shares"));
        if (terms.hasBorrowCap() && m.totalBorrowAssets().compareTo(terms.borrowCap()) > 0) {
            return ActionPreview.reverted(
                    Revert.of(
                            ActionRevert.BORROW_CAP_EXCEEDED,
                            m.totalBorrowAssets(),
                            terms.borrowCap()),
                    market,
                    position,
                    Optional.empty());
        }
        Optional<Revert<ActionRevert>> overLtv = maxLtvCheck(terms, m, p, price);
        if (overLtv.isPresent()) {
            return ActionPreview.reverted(overLtv.get(), market, position, Optional.empty());
        }
        return accepted(accrual, m, p, Optional.empty(), assets, shares, ZERO);
    }

    /**
     * {@code repay(id, assets, onBehalf)}: below the debt, burns toSharesDown(assets); exactly the
     * debt or {@code type(uint256).max} ({@link Uint256#MAX}) burns every share and pays the debt.
     */
    public static ActionPreview repay(
            MarketTerms terms,
            MarketState market,
            long timestamp,
            PositionState position,
            BigInteger assets) {
        if (isZero("assets", assets)) {
            return ActionPreview.reverted(
                    Revert.of(ZERO_AMOUNT), market, position, Optional.empty());
        }
        Accrual accrual = market.accrueTo(terms, timestamp);
        MarketState m = accrual.market();
        Repayment repayment = repayAmounts(m, position, assets);
        if (repayment.revert != null) {
            return ActionPreview.reverted(repayment.revert, market, position, Optional.empty());
        }
        PositionState p =
                position.withBorrowShares(position.borrowShares().subtract(repayment.shares));
        return accepted(
                accrual,
                applyRepay(m, repayment),
                p,
                Optional.empty(),
                repayment.assets,
                repayment.shares,
                ZERO);
    }

    /** {@code repay(id, type(uint256).max, onBehalf)}: the whole debt. */
    public static ActionPreview repayAll(
            MarketTerms terms, MarketState market, long timestamp, PositionState position) {
        return repay(terms, market, timestamp, position, Uint256.MAX);
    }

    /**
     * {@code supplyCollateral(id, assets, onBehalf)}. It does not accrue interest (it changes
     * neither utilization nor debt), so the market's {@code lastUpdate} stays, and it needs no
     * price. Rent is left unsettled; see {@link #supplyCollateral(MarketTerms, MarketState,
     * PositionState, BigInteger, PoolRent)}. ({@code terms} is not needed by this action's math; it
     * is taken so that every preview reads alike.)
     */
    public static ActionPreview supplyCollateral(
            MarketTerms terms, MarketState market, PositionState position, BigInteger assets) {
        return supplyCollateral(market, position, assets, Optional.empty());
    }

    /**
     * {@code supplyCollateral(id, assets, onBehalf)}, pulling and settling rent first as the
     * contract does.
     */
    public static ActionPreview supplyCollateral(
            MarketTerms terms,
            MarketState market,
            PositionState position,
            BigInteger assets,
            PoolRent rent) {
        return supplyCollateral(market, position, assets, Optional.of(rent));
    }

    /**
     * {@code withdrawCollateral(id, assets, receiver)} by the position's owner. With debt the price
     * must be fresh and the debt within maxDebt(maxLtv) afterwards; without debt no price is needed
     * and {@code price} may be null. Rent is left unsettled; see the overload with {@link
     * PoolRent}.
     */
    public static ActionPreview withdrawCollateral(
            MarketTerms terms,
            MarketState market,
            long timestamp,
            PositionState position,
            BigInteger price,
            BigInteger assets) {
        return withdrawCollateral(
                terms, market, timestamp, position, price, assets, Optional.empty());
    }

    /**
     * {@code withdrawCollateral(id, assets, receiver)}, pulling and settling rent as the contract
     * does.
     */
    public static ActionPreview withdrawCollateral(
            MarketTerms terms,
            MarketState market,
            long timestamp,
            PositionState position,
            BigInteger price,
            BigInteger assets,
            PoolRent rent) {
        return withdrawCollateral(
                terms, market, timestamp, position, price, assets, Optional.of(rent));
    }

    /**
     * {@code claimRent(id, receiver)} by the position's owner: pulls and settles rent, then pays
     * out {@code rentAccrued} ({@code assets}). Never reverts on the math. Always emits {@code
     * RentClaimed(id, owner, receiver, assets)}, also when {@code assets} is 0 (then no tokens
     * move): the settlement moved {@code rentIndexPaid} either way. The market is returned
     * unchanged.
     */
    public static ActionPreview claimRent(
            MarketState market, PositionState position, PoolRent rent) {
        Rent.Pull pull = Rent.pull(rent);
        PositionState p = Rent.settle(position, pull.rent().index());
        BigInteger amount = p.rentAccrued();
        p = p.withRent(p.rentIndexPaid(), ZERO);
        return accepted(null, market, p, Optional.of(pull.rent()), amount, ZERO, pull.amount());
    }

    /**
     * {@code repayWithRent(id)} by the position's owner: accrues, pulls and settles rent, then
     * repays min(rentAccrued, debt) from it. The caller checks that the property's rent token is
     * the market's loan token ({@code RentNotInLoanToken}).
     */
    public static ActionPreview repayWithRent(
            MarketTerms terms,
            MarketState market,
            long timestamp,
            PositionState position,
            PoolRent rent) {
        Accrual accrual = market.accrueTo(terms, timestamp);
        MarketState m = accrual.market();
        Rent.Pull pull = Rent.pull(rent);
        PositionState p = Rent.settle(position, pull.rent().index());
        BigInteger debt = Valuation.debt(m, p);
        BigInteger amount = p.rentAccrued().min(debt);
        if (amount.signum() == 0) {
            return ActionPreview.reverted(
                    Revert.of(ZERO_AMOUNT), market, position, Optional.of(rent));
        }
        Repayment repayment = repayAmounts(m, p, amount);
        if (repayment.revert != null) {
            return ActionPreview.reverted(repayment.revert, market, position, Optional.of(rent));
        }
        p =
                p.withRent(p.rentIndexPaid(), p.rentAccrued().subtract(repayment.assets))
                        .withBorrowShares(p.borrowShares().subtract(repayment.shares));
        return accepted(
                accrual,
                applyRepay(m, repayment),
                p,
                Optional.of(pull.rent()),
                repayment.assets,
                repayment.shares,
                pull.amount());
    }

    // ------------------------------------------------------------------ internals

    private static ActionPreview supplyCollateral(
            MarketState market,
            PositionState position,
            BigInteger assets,
            Optional<PoolRent> rent) {
        if (isZero("assets", assets)) {
            return ActionPreview.reverted(Revert.of(ZERO_AMOUNT), market, position, rent);
        }
        Settled settled = settleRent(position, rent);
        PositionState p =
                settled.position.withCollateral(
                        UintMath.add(position.collateral(), assets, "collateral + assets"));
        MarketState m =
                market.withCollateral(
                        UintMath.add(market.totalCollateral(), assets, "totalCollateral"));
        Optional<PoolRent> after =
                settled.rent.map(
                        r ->
                                r.withTotalCollateral(
                                        UintMath.add(
                                                r.totalCollateral(),
                                                assets,
                                                "totalCollateralOf + assets")));
        return accepted(null, m, p, after, assets, ZERO, settled.pulled);
    }

    private static ActionPreview withdrawCollateral(
            MarketTerms terms,
            MarketState market,
            long timestamp,
            PositionState position,
            BigInteger price,
            BigInteger assets,
            Optional<PoolRent> rent) {
        if (isZero("assets", assets)) {
            return ActionPreview.reverted(Revert.of(ZERO_AMOUNT), market, position, rent);
        }
        Accrual accrual = market.accrueTo(terms, timestamp);
        if (assets.compareTo(position.collateral()) > 0) {
            return ActionPreview.reverted(
                    Revert.of(INSUFFICIENT_COLLATERAL, assets, position.collateral()),
                    market,
                    position,
                    rent);
        }
        Settled settled = settleRent(position, rent);
        PositionState p = settled.position.withCollateral(position.collateral().subtract(assets));
        MarketState m =
                accrual.market()
                        .withCollateral(
                                UintMath.sub(
                                        accrual.market().totalCollateral(),
                                        assets,
                                        "totalCollateral - assets"));
        Optional<PoolRent> after =
                settled.rent.map(
                        r ->
                                r.withTotalCollateral(
                                        UintMath.sub(
                                                r.totalCollateral(),
                                                assets,
                                                "totalCollateralOf - assets")));
        if (p.borrowShares().signum() != 0) {
            if (price == null) {
                throw new IllegalArgumentException(
                        "a price is needed to withdraw collateral from a position with debt");
            }
            Optional<Revert<ActionRevert>> overLtv =
                    maxLtvCheck(terms, m, p, Uint256.check(price, "price"));
            if (overLtv.isPresent()) {
                return ActionPreview.reverted(overLtv.get(), market, position, rent);
            }
        }
        return accepted(accrual, m, p, after, assets, ZERO, settled.pulled);
    }

    /** The contract's {@code _requireWithinMaxLtv}: debt ≤ maxDebt(collateralValue, maxLtv). */
    private static Optional<Revert<ActionRevert>> maxLtvCheck(
            MarketTerms terms, MarketState market, PositionState position, BigInteger price) {
        BigInteger debt = Valuation.debt(market, position);
        BigInteger allowed =
                Risk.maxDebt(Risk.collateralValue(position.collateral(), price), terms.maxLtv());
        return debt.compareTo(allowed) > 0
                ? Optional.of(Revert.of(MAX_LTV_EXCEEDED, debt, allowed))
                : Optional.empty();
    }

    private record Repayment(BigInteger assets, BigInteger shares, Revert<ActionRevert> revert) {}

    /** The contract's {@code _repayAmounts}. */
    private static Repayment repayAmounts(
            MarketState market, PositionState position, BigInteger assets) {
        BigInteger debt = Valuation.debt(market, position);
        if (debt.signum() == 0 || (assets.compareTo(debt) > 0 && !assets.equals(Uint256.MAX))) {
            return new Repayment(ZERO, ZERO, Revert.of(REPAY_EXCEEDS_DEBT, assets, debt));
        }
        if (assets.compareTo(debt) >= 0) {
            return new Repayment(debt, position.borrowShares(), null);
        }
        BigInteger shares =
                Shares.toSharesDown(assets, market.totalBorrowAssets(), market.totalBorrowShares());
        if (shares.signum() == 0) {
            return new Repayment(ZERO, ZERO, Revert.of(ZERO_SHARES));
        }
        return new Repayment(assets, shares, null);
    }

    /** The contract's {@code _applyRepay} on the market: totalBorrowAssets floored at zero. */
    private static MarketState applyRepay(MarketState market, Repayment repayment) {
        return market.withBorrow(
                FixedPoint.zeroFloorSub(market.totalBorrowAssets(), repayment.assets),
                UintMath.sub(
                        market.totalBorrowShares(),
                        repayment.shares,
                        "totalBorrowShares - shares"));
    }

    private record Settled(PositionState position, Optional<PoolRent> rent, BigInteger pulled) {}

    private static Settled settleRent(PositionState position, Optional<PoolRent> rent) {
        if (rent.isEmpty()) {
            return new Settled(position, rent, ZERO);
        }
        Rent.Pull pull = Rent.pull(rent.get());
        return new Settled(
                Rent.settle(position, pull.rent().index()),
                Optional.of(pull.rent()),
                pull.amount());
    }

    private static ActionPreview accepted(
            Accrual accrual,
            MarketState market,
            PositionState position,
            Optional<PoolRent> rent,
            BigInteger assets,
            BigInteger shares,
            BigInteger rentPulled) {
        Optional<Accrual> emitted = Optional.ofNullable(accrual).filter(Accrual::emitsEvent);
        return new ActionPreview(
                Optional.empty(), emitted, market, position, rent, assets, shares, rentPulled);
    }

    private static boolean isZero(String name, BigInteger amount) {
        return Uint256.check(amount, name).signum() == 0;
    }
}
