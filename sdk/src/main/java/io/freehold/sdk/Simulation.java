package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A what-if for one position, computed by the node with the contract's own math on its state: no
 * transaction is sent and nothing is called on chain. Create one with a factory per change.
 *
 * <pre>{@code
 * SimulationResult r = client.simulate(
 *         Simulation.borrow(marketId, borrower, new BigInteger("250000000")));  // 250 USDC
 * if (r.wouldRevert()) { System.out.println(r.revertReason().get()); }
 * else { System.out.println(r.after().healthFactor()); }
 * }</pre>
 */
public final class Simulation {

    /** What changes. */
    public enum Change {
        /** A new appraisal, scaled by {@link Market#PRICE_SCALE}. */
        PRICE,
        /** Borrow this many loan-token base units. */
        BORROW,
        /** Repay this many loan-token base units. */
        REPAY,
        /** Deposit this many collateral-token base units. */
        DEPOSIT_COLLATERAL,
        /** Withdraw this many collateral-token base units. */
        WITHDRAW_COLLATERAL,
        /**
         * On a node following an Aave v3 pool: a new oracle price for the reserve {@link #asset()},
         * in the oracle's base currency units (1e8 = 1 USD on a USD oracle).
         */
        AAVE_PRICE
    }

    private final MarketId market;
    private final Address account;
    private final Change change;
    private final BigInteger value;
    private final Address asset; // AAVE_PRICE only

    private Simulation(MarketId market, Address account, Change change, BigInteger value) {
        this(market, account, change, value, null);
    }

    private Simulation(
            MarketId market, Address account, Change change, BigInteger value, Address asset) {
        this.market = Objects.requireNonNull(market, "market");
        this.account = Objects.requireNonNull(account, "account");
        this.change = change;
        this.asset = asset;
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0 || value.compareTo(TokenAmount.MAX_BASE_UNITS) > 0) {
            throw new IllegalArgumentException(
                    "simulated " + change + " must be within 0..2^256 - 1: " + value);
        }
        this.value = value;
    }

    /** The position if the appraisal were {@code price} (scaled by {@link Market#PRICE_SCALE}). */
    public static Simulation price(MarketId market, Address account, BigInteger price) {
        return new Simulation(market, account, Change.PRICE, price);
    }

    /** The position after borrowing {@code loanBaseUnits} more. */
    public static Simulation borrow(MarketId market, Address account, BigInteger loanBaseUnits) {
        return new Simulation(market, account, Change.BORROW, loanBaseUnits);
    }

    /** The position after repaying {@code loanBaseUnits}. */
    public static Simulation repay(MarketId market, Address account, BigInteger loanBaseUnits) {
        return new Simulation(market, account, Change.REPAY, loanBaseUnits);
    }

    /** The position after depositing {@code collateralBaseUnits} more collateral. */
    public static Simulation depositCollateral(
            MarketId market, Address account, BigInteger collateralBaseUnits) {
        return new Simulation(market, account, Change.DEPOSIT_COLLATERAL, collateralBaseUnits);
    }

    /** The position after withdrawing {@code collateralBaseUnits} of collateral. */
    public static Simulation withdrawCollateral(
            MarketId market, Address account, BigInteger collateralBaseUnits) {
        return new Simulation(market, account, Change.WITHDRAW_COLLATERAL, collateralBaseUnits);
    }

    /**
     * On a node following an Aave v3 pool: the account if the oracle priced {@code asset} (a
     * reserve's underlying) at {@code price}, in the oracle's base currency units. The node
     * computes it at its applied block; the account figures are in {@code after().aave()}.
     */
    public static Simulation aavePrice(
            MarketId market, Address account, Address asset, BigInteger price) {
        return new Simulation(
                market, account, Change.AAVE_PRICE, price, Objects.requireNonNull(asset, "asset"));
    }

    /** The reserve whose price changes: present for {@link Change#AAVE_PRICE} only. */
    public java.util.Optional<Address> asset() {
        return java.util.Optional.ofNullable(asset);
    }

    public MarketId market() {
        return market;
    }

    public Address account() {
        return account;
    }

    public Change change() {
        return change;
    }

    /** The price or amount, in the unit {@link #change()} names. */
    public BigInteger value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Simulation s
                && market.equals(s.market)
                && account.equals(s.account)
                && change == s.change
                && value.equals(s.value)
                && Objects.equals(asset, s.asset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(market, account, change, value, asset);
    }

    @Override
    public String toString() {
        return "Simulation{"
                + change
                + " "
                + value
                + (asset == null ? "" : " of " + asset)
                + ", market="
                + market
                + ", account="
                + account
                + "}";
    }
}
