package io.freehold.sdk.math;

import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.math.ActionPreview;
import io.freehold.contracts.math.ActionRevert;
import io.freehold.contracts.math.Appraisal;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PoolRent;
import io.freehold.contracts.math.PositionState;
import io.freehold.contracts.math.PositionValuation;
import io.freehold.contracts.math.Previews;
import io.freehold.contracts.math.Rent;
import io.freehold.contracts.math.Valuation;
import io.freehold.sdk.HealthFactor;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.Wad;
import io.freehold.sdk.onchain.ContractRevert;
import io.freehold.sdk.onchain.PositionInputs;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * One position valued offline exactly as the pool's {@code position(id, account)} view values it:
 * LTV, health factor, liquidation price, max borrowable, and what a borrow, repay, collateral
 * change, supply or withdrawal would do, all equal to the contract's to the wei (the formulas are
 * the contracts module's {@code io.freehold.contracts.math}, a line-for-line mirror of {@code
 * LendingPool.sol}; see {@code contracts/README.md} for each rounding).
 *
 * <p>An instance is immutable and describes the position at one moment ({@link #timestamp()}, the
 * block timestamp whose interest is accrued) and one price ({@link #price()}). {@link #at(long)}
 * moves it later in time, {@link #atPrice(BigInteger)} to another appraisal; previews assume the
 * action lands in a block at {@link #timestamp()}. The market is kept as stored and accrued in one
 * step to the moment, as the contract does, so moving in time stays exact.
 *
 * <p>Not modelled: other positions' actions in between, and rent in the other previews (they leave
 * the position's rent bookkeeping as it was; valuation does not use it). Rent has its own: {@link
 * #previewRepayWithRent} and {@link #claimableRent}, given the pool's rent bookkeeping.
 *
 * <pre>{@code
 * PositionMath now = PositionMath.of(pool.positionInputs(marketId, me));
 * now.healthFactor();                          // 1.3100
 * now.maxBorrowable();                         // 1624 (USD, 6 decimals)
 * now.at(now.timestamp() + 30 * 86_400).ltv(); // a month of interest later
 * now.atPrice(lowerPrice).liquidatable();      // after a lower appraisal
 * now.previewBorrow(TokenAmount.parse("1000000000", 6)).after().healthFactor();
 * }</pre>
 */
public final class PositionMath {

    private final MarketTerms terms;
    private final MarketState market;
    private final PositionState position;
    private final Appraisal appraisal;
    private final long timestamp;
    private final int loanDecimals;
    private final int collateralDecimals;
    private final MarketState accrued;
    private final PositionValuation valuation;

    private PositionMath(
            MarketTerms terms,
            MarketState market,
            PositionState position,
            Appraisal appraisal,
            long timestamp,
            int loanDecimals,
            int collateralDecimals) {
        this.terms = Objects.requireNonNull(terms, "terms");
        this.market = Objects.requireNonNull(market, "market");
        this.position = Objects.requireNonNull(position, "position");
        this.appraisal = Objects.requireNonNull(appraisal, "appraisal");
        this.timestamp = timestamp;
        this.loanDecimals = loanDecimals;
        this.collateralDecimals = collateralDecimals;
        this.accrued = market.accrueTo(terms, timestamp).market();
        this.valuation = Valuation.of(terms, accrued, position, appraisal.price());
    }

    /**
     * The position as read from the chain, valued at the block it was read at.
     *
     * <pre>{@code
     * PositionMath math = PositionMath.of(pool.positionInputs(marketId, borrower));
     * }</pre>
     */
    public static PositionMath of(PositionInputs inputs) {
        return new PositionMath(
                inputs.terms(),
                inputs.market(),
                inputs.position(),
                inputs.appraisal(),
                inputs.timestamp(),
                inputs.loanDecimals(),
                inputs.collateralDecimals());
    }

    /**
     * A position from its parts, e.g. the node's or your own records, valued at {@code timestamp}.
     *
     * <pre>{@code
     * PositionMath math = PositionMath.of(terms, storedMarket, positionShares, appraisal, blockTime, 6, 18);
     * }</pre>
     *
     * @param storedMarket the market's totals as stored: accrued to its own {@code lastUpdate}
     * @param timestamp unix seconds, not before {@code storedMarket.lastUpdate()}
     * @throws IllegalArgumentException if {@code timestamp} is before the market's last accrual
     */
    public static PositionMath of(
            MarketTerms terms,
            MarketState storedMarket,
            PositionState position,
            Appraisal appraisal,
            long timestamp,
            int loanDecimals,
            int collateralDecimals) {
        return new PositionMath(
                terms,
                storedMarket,
                position,
                appraisal,
                timestamp,
                loanDecimals,
                collateralDecimals);
    }

    // ------------------------------------------------------------------ moving the moment

    /**
     * The same position at a later moment: interest accrued to {@code later}, the price unchanged
     * (and stale if the appraisal has aged past its feed's limit by then).
     *
     * <pre>{@code
     * PositionMath nextWeek = math.at(math.timestamp() + 7 * 86_400);
     * }</pre>
     */
    public PositionMath at(long later) {
        return new PositionMath(
                terms, market, position, appraisal, later, loanDecimals, collateralDecimals);
    }

    /**
     * The same position and moment at another appraisal price (loan-token base units per collateral
     * base unit × 10<sup>36</sup>), as if the appraisal were updated now: fresh, {@code updatedAt}
     * = {@link #timestamp()}.
     *
     * <pre>{@code
     * PositionMath afterDrop = math.atPrice(math.price().multiply(BigInteger.valueOf(9)).divide(BigInteger.TEN));
     * afterDrop.healthFactor();
     * }</pre>
     */
    public PositionMath atPrice(BigInteger price) {
        Appraisal updated = new Appraisal(price, timestamp, appraisal.maxAgeSeconds());
        return new PositionMath(
                terms, market, position, updated, timestamp, loanDecimals, collateralDecimals);
    }

    // ------------------------------------------------------------------ the position view

    /** Unix seconds of the moment valued. */
    public long timestamp() {
        return timestamp;
    }

    /** The appraisal price used (×10<sup>36</sup>), stale or not. */
    public BigInteger price() {
        return appraisal.price();
    }

    /** The appraisal used. */
    public Appraisal appraisal() {
        return appraisal;
    }

    /**
     * Whether the pool would refuse a borrow or a collateral withdrawal against debt on this price
     * now.
     */
    public boolean priceStale() {
        return appraisal.isStaleAt(timestamp);
    }

    /** What the position owes, rounded up, accrued to {@link #timestamp()}. */
    public TokenAmount debt() {
        return loan(valuation.debt());
    }

    /** What its supply shares are worth, rounded down. */
    public TokenAmount supplyAssets() {
        return loan(valuation.supplyAssets());
    }

    /** Collateral locked, in property-token base units. */
    public TokenAmount collateral() {
        return TokenAmount.of(valuation.collateral(), collateralDecimals);
    }

    /** The collateral's value in the loan token, rounded down. */
    public TokenAmount collateralValue() {
        return loan(valuation.collateralValue());
    }

    /** Borrow shares held. */
    public BigInteger borrowShares() {
        return valuation.borrowShares();
    }

    /** Supply shares held. */
    public BigInteger supplyShares() {
        return valuation.supplyShares();
    }

    /**
     * Debt ÷ collateral value, rounded up; 0 without debt, 2<sup>256</sup> − 1 raw with debt and no
     * value.
     */
    public Wad ltv() {
        return Wad.of(valuation.ltv());
    }

    /**
     * Collateral value × liquidation LTV ÷ debt, rounded down; {@link HealthFactor#NO_DEBT} without
     * debt.
     */
    public HealthFactor healthFactor() {
        return HealthFactor.of(Wad.of(valuation.healthFactor()));
    }

    /**
     * The price (×10<sup>36</sup>) below which the position can be liquidated, rounded up; 0
     * without debt. Exact: liquidatable if and only if the price is below it.
     */
    public BigInteger liquidationPrice() {
        return valuation.liquidationPrice();
    }

    /**
     * The largest borrow the max-LTV check accepts at {@link #timestamp()} (liquidity and caps
     * aside), as the view says. It holds for that second only: interest moves the price of a borrow
     * share between blocks and with it the rounding of the new shares, so in a later block the same
     * amount can come out one base unit over. To borrow the most in the next block, value at its
     * time ({@link #at(long)}) or leave a unit of margin (a borrow that comes out over reverts with
     * {@code MaxLtvExceeded}).
     */
    public TokenAmount maxBorrowable() {
        return loan(valuation.maxBorrowable());
    }

    /** Whether the debt exceeds what the liquidation LTV allows at this price (stale or not). */
    public boolean liquidatable() {
        return valuation.liquidatable();
    }

    /**
     * The market's totals accrued to {@link #timestamp()}, as the {@code market(id)} view returns
     * them.
     */
    public MarketState accruedMarket() {
        return accrued;
    }

    /** The stored position this values. */
    public PositionState position() {
        return position;
    }

    // ------------------------------------------------------------------ previews

    /**
     * {@code borrow(amount)} by this position's owner in a block at {@link #timestamp()}.
     *
     * <pre>{@code
     * math.previewBorrow(math.maxBorrowable()).after().ltv();  // at most the max LTV
     * }</pre>
     */
    public PositionPreview previewBorrow(TokenAmount amount) {
        BigInteger assets = loanUnits(amount);
        if (assets.signum() != 0 && priceStale()) {
            return refused(stalePrice());
        }
        return preview(
                Previews.borrow(terms, market, timestamp, position, appraisal.price(), assets),
                loanDecimals);
    }

    /**
     * {@code repay(amount)}: below the debt burns shares rounded down; more than the debt is
     * refused.
     *
     * <pre>{@code
     * math.previewRepay(TokenAmount.parse("2000000000", 6)).after().healthFactor();
     * }</pre>
     */
    public PositionPreview previewRepay(TokenAmount amount) {
        return preview(
                Previews.repay(terms, market, timestamp, position, loanUnits(amount)),
                loanDecimals);
    }

    /**
     * {@code repay(type(uint256).max)}: the whole debt.
     *
     * <pre>{@code
     * TokenAmount toPay = math.previewRepayAll().assets();
     * }</pre>
     */
    public PositionPreview previewRepayAll() {
        return preview(Previews.repayAll(terms, market, timestamp, position), loanDecimals);
    }

    /**
     * {@code supplyCollateral(amount)}: more collateral; needs no price and accrues nothing.
     *
     * <pre>{@code
     * math.previewSupplyCollateral(TokenAmount.parse("100000000000000000000", 18)).after().liquidationPrice();
     * }</pre>
     */
    public PositionPreview previewSupplyCollateral(TokenAmount amount) {
        return preview(
                Previews.supplyCollateral(terms, market, position, collateralUnits(amount)),
                collateralDecimals);
    }

    /**
     * {@code withdrawCollateral(amount)}: with debt, needs a fresh price and the debt within max
     * LTV after.
     *
     * <pre>{@code
     * math.previewWithdrawCollateral(TokenAmount.parse("50000000000000000000", 18)).reverts();
     * }</pre>
     */
    public PositionPreview previewWithdrawCollateral(TokenAmount amount) {
        ActionPreview p =
                Previews.withdrawCollateral(
                        terms,
                        market,
                        timestamp,
                        position,
                        appraisal.price(),
                        collateralUnits(amount));
        boolean refusedEarlier =
                p.revertReason()
                        .map(
                                r ->
                                        r == ActionRevert.ZERO_AMOUNT
                                                || r == ActionRevert.INSUFFICIENT_COLLATERAL)
                        .orElse(false);
        // The contract reads the price only for a position with debt, after the amount checks.
        if (!refusedEarlier && position.borrowShares().signum() != 0 && priceStale()) {
            return refused(stalePrice());
        }
        return preview(p, collateralDecimals);
    }

    /**
     * {@code supply(amount)} by a lender: supply shares rounded down.
     *
     * <pre>{@code
     * math.previewSupply(TokenAmount.parse("1000000000", 6)).shares();
     * }</pre>
     */
    public PositionPreview previewSupply(TokenAmount amount) {
        return preview(
                Previews.supply(terms, market, timestamp, position, loanUnits(amount)),
                loanDecimals);
    }

    /**
     * {@code withdraw(amount)} by a lender: shares burned rounded up; refused beyond the idle
     * liquidity.
     *
     * <pre>{@code
     * math.previewWithdraw(TokenAmount.parse("1000000000", 6)).reverts();
     * }</pre>
     */
    public PositionPreview previewWithdraw(TokenAmount amount) {
        return preview(
                Previews.withdraw(terms, market, timestamp, position, loanUnits(amount)),
                loanDecimals);
    }

    /**
     * {@code repayWithRent()} by this position's owner in a block at {@link #timestamp()}: the pool
     * pulls the rent the property token owes it, settles this position, and repays min(rent
     * accrued, debt) from it. The preview's {@code after()} is the position once repaid (its health
     * factor and debt exactly as the pool's view will report them), {@code assets()} the debt
     * repaid. Refused as the pool refuses: no rent or no debt ({@code ZeroAmount}), rent too small
     * to buy a share ({@code ZeroShares}). Not checked here: that the property's rent token is the
     * market's loan token ({@code RentNotInLoanToken}).
     *
     * @param rent the pool's rent bookkeeping for the collateral token at the same block ({@code
     *     FreeholdPool.poolRent(marketId, inputs.blockNumber())})
     */
    public PositionPreview previewRepayWithRent(PoolRent rent) {
        Objects.requireNonNull(rent, "rent");
        return preview(
                Previews.repayWithRent(terms, market, timestamp, position, rent), loanDecimals);
    }

    /**
     * Rent-token base units {@code claimRent} would pay now: the pool's {@code position} view's
     * {@code claimableRent}, given its rent bookkeeping at the same block.
     */
    public BigInteger claimableRent(PoolRent rent) {
        return Rent.claimable(Objects.requireNonNull(rent, "rent"), position);
    }

    // ------------------------------------------------------------------ internals

    private PositionPreview preview(ActionPreview p, int assetDecimals) {
        if (p.reverts()) {
            return refused(ContractRevert.of(p.revert().get()));
        }
        PositionMath after =
                new PositionMath(
                        terms,
                        p.market(),
                        p.position(),
                        appraisal,
                        timestamp,
                        loanDecimals,
                        collateralDecimals);
        return new PositionPreview(
                Optional.empty(), after, TokenAmount.of(p.assets(), assetDecimals), p.shares());
    }

    private PositionPreview refused(ContractRevert revert) {
        return new PositionPreview(
                Optional.of(revert), this, TokenAmount.zero(loanDecimals), BigInteger.ZERO);
    }

    private ContractRevert stalePrice() {
        return ContractRevert.of(
                ContractError.STALE_PRICE,
                terms.collateralToken(),
                BigInteger.valueOf(appraisal.updatedAt()));
    }

    private TokenAmount loan(BigInteger units) {
        return TokenAmount.of(units, loanDecimals);
    }

    private BigInteger loanUnits(TokenAmount amount) {
        return units(amount, loanDecimals, "loan");
    }

    private BigInteger collateralUnits(TokenAmount amount) {
        return units(amount, collateralDecimals, "collateral");
    }

    private static BigInteger units(TokenAmount amount, int decimals, String which) {
        Objects.requireNonNull(amount, "amount");
        if (amount.decimals() != decimals) {
            throw new IllegalArgumentException(
                    "the "
                            + which
                            + " token has "
                            + decimals
                            + " decimals; the amount has "
                            + amount.decimals());
        }
        return amount.baseUnits();
    }
}
