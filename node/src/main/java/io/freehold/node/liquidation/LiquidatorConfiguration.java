package io.freehold.node.liquidation;

import io.freehold.types.Address;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * How the node liquidates: whether it sends anything at all, with which key, for how little profit,
 * and how it prices and re-prices its transactions.
 *
 * <p>Bound from {@code freehold.node.liquidator.*} (kebab-case; environment variables work too,
 * e.g. {@code FREEHOLD_NODE_LIQUIDATOR_MODE=EXECUTE}). Checked when the node starts; a setting that
 * cannot work stops it with a message naming the setting. The key itself is never a property: it
 * comes from an encrypted keystore file or from an environment variable whose <em>name</em> is
 * configured here, so it never appears in a configuration file, a log line or {@code /env}.
 *
 * @param mode {@code WATCH} (the default): check candidates and log what would be sent, send
 *     nothing. {@code EXECUTE}: send liquidations with the liquidator key.
 * @param keystore path of an encrypted JSON keystore (web3j, geth, Foundry's {@code cast wallet})
 *     holding the liquidator key. When unset the key comes from {@code private-key-env}.
 * @param keystorePasswordFile a file holding the keystore's password (trailing newline ignored),
 *     e.g. a mounted secret. When unset the password comes from the variable named by {@code
 *     keystore-password-env}.
 * @param keystorePasswordEnv the environment variable holding the keystore password. Default {@code
 *     FREEHOLD_LIQUIDATOR_KEYSTORE_PASSWORD}.
 * @param privateKeyEnv the environment variable holding the liquidator's private key (hex) when no
 *     keystore is set. Default {@code FREEHOLD_LIQUIDATOR_KEY}.
 * @param receiver where seized collateral goes; must be verified and unfrozen in each property
 *     token. Default: the liquidator's own address.
 * @param minProfit the expected profit must be above this, in loan-token base units (6 decimals for
 *     the mock stablecoin: 1000000 is one dollar). Profit = value of the seized collateral at the
 *     appraisal minus the repayment minus the gas. Default 0: any profit.
 * @param nativePrice what one whole native coin (1e18 wei) is worth in loan-token base units, to
 *     price gas against the incentive. Default 3000000000 (3,000 of a 6-decimal stablecoin). A
 *     market whose loan token has other decimals needs this adjusted.
 * @param priorityFeePerGas the tip, in wei per gas. Default: unset, ask the endpoint ({@code
 *     eth_maxPriorityFeePerGas}; 1 gwei if it cannot say).
 * @param maxFeePerGasCap no transaction, first or replacement, offers more than this per gas, in
 *     wei. Default 100 gwei.
 * @param feeBumpPercent how much a replacement raises both fees, in percent; at least 12.5 (geth
 *     needs 10%, other clients 12.5%). Default 12.5.
 * @param stuckAfter a transaction not mined this long after it was sent is replaced (fee bump), or
 *     cancelled if the position no longer needs liquidating. Default 30 s (two to three Ethereum
 *     blocks).
 * @param cooldown a candidate that was skipped, failed or given up is not checked again for this
 *     long. Default 60 s.
 * @param gasLimit the gas limit of a liquidation; preflight refuses one whose estimate is above it.
 *     Default 500000 (a liquidation takes about 150,000).
 * @param pollInterval how often the liquidator tracks its transactions and asks for candidates.
 *     Default 1 s.
 * @param auctionTakeDiscount percent below the appraisal at which the keeper takes auction lots
 *     itself: a lot is taken when its price is at or below appraisal × (1 − discount / 100), paying
 *     at most that. Unset (the default): the keeper starts and restarts auctions, never takes.
 * @param restartUnpaid whether the keeper restarts an ended auction once the market no longer pays
 *     for restarts (after its {@code maxPaidRestarts}): the gas is the operator's, the gain the
 *     lenders' (the position is resolved, the lot offered at a fresh appraisal). Default true: the
 *     node is run for the lenders; a liquidator that only wants paid work sets false.
 */
@ConfigurationProperties("freehold.node.liquidator")
public record LiquidatorConfiguration(
        @Bindable(defaultValue = "WATCH") Mode mode,
        @Nullable String keystore,
        @Nullable String keystorePasswordFile,
        @Bindable(defaultValue = "FREEHOLD_LIQUIDATOR_KEYSTORE_PASSWORD")
                String keystorePasswordEnv,
        @Bindable(defaultValue = "FREEHOLD_LIQUIDATOR_KEY") String privateKeyEnv,
        @Nullable String receiver,
        @Bindable(defaultValue = "0") BigInteger minProfit,
        @Bindable(defaultValue = "3000000000") BigInteger nativePrice,
        @Nullable BigInteger priorityFeePerGas,
        @Bindable(defaultValue = "100000000000") BigInteger maxFeePerGasCap,
        @Bindable(defaultValue = "12.5") BigDecimal feeBumpPercent,
        @Bindable(defaultValue = "30s") Duration stuckAfter,
        @Bindable(defaultValue = "60s") Duration cooldown,
        @Bindable(defaultValue = "500000") long gasLimit,
        @Bindable(defaultValue = "1s") Duration pollInterval,
        @Nullable BigDecimal auctionTakeDiscount,
        @Bindable(defaultValue = "true") boolean restartUnpaid) {

    /** Whether the node sends liquidations. */
    public enum Mode {
        /** Check and log; never sign. */
        WATCH,
        /** Check, record, send, track. */
        EXECUTE
    }

    /**
     * Geth replaces a pending transaction for a 10% raise, other clients want 12.5%; below that it
     * is refused.
     */
    public static final BigDecimal MIN_FEE_BUMP_PERCENT = new BigDecimal("12.5");

    public LiquidatorConfiguration {
        mode = mode == null ? Mode.WATCH : mode;
        keystorePasswordEnv =
                blankToDefault(keystorePasswordEnv, "FREEHOLD_LIQUIDATOR_KEYSTORE_PASSWORD");
        privateKeyEnv = blankToDefault(privateKeyEnv, "FREEHOLD_LIQUIDATOR_KEY");
        keystore = blankToNull(keystore);
        keystorePasswordFile = blankToNull(keystorePasswordFile);
        receiver = blankToNull(receiver);
        if (receiver != null) {
            try {
                Address.of(receiver);
            } catch (IllegalArgumentException e) {
                throw invalid("receiver", "is not an address: " + e.getMessage());
            }
        }
        requireNonNegative("min-profit", minProfit);
        requireNonNegative("native-price", nativePrice);
        if (priorityFeePerGas != null) {
            requireNonNegative("priority-fee-per-gas", priorityFeePerGas);
        }
        if (maxFeePerGasCap == null || maxFeePerGasCap.signum() <= 0) {
            throw invalid(
                    "max-fee-per-gas-cap",
                    "must be a positive number of wei, was " + maxFeePerGasCap);
        }
        if (priorityFeePerGas != null && priorityFeePerGas.compareTo(maxFeePerGasCap) > 0) {
            throw invalid(
                    "priority-fee-per-gas",
                    "is "
                            + priorityFeePerGas
                            + " wei, above max-fee-per-gas-cap "
                            + maxFeePerGasCap);
        }
        if (feeBumpPercent == null || feeBumpPercent.compareTo(MIN_FEE_BUMP_PERCENT) < 0) {
            throw invalid(
                    "fee-bump-percent",
                    "must be at least 12.5 (nodes refuse smaller replacements), was "
                            + feeBumpPercent);
        }
        requirePositive("stuck-after", stuckAfter);
        requirePositive("poll-interval", pollInterval);
        if (cooldown == null || cooldown.isNegative()) {
            throw invalid("cooldown", "must be a duration of zero or more, was " + cooldown);
        }
        if (auctionTakeDiscount != null
                && (auctionTakeDiscount.signum() < 0
                        || auctionTakeDiscount.compareTo(BigDecimal.valueOf(100)) >= 0)) {
            throw invalid(
                    "auction-take-discount",
                    "must be a percent from 0 up to (not including) 100, was "
                            + auctionTakeDiscount);
        }
        if (gasLimit < 21_000) {
            throw invalid("gas-limit", "must be at least 21000, was " + gasLimit);
        }
    }

    /**
     * Watch mode with every default: what the node runs when nothing is configured; tests start
     * here.
     */
    public static LiquidatorConfiguration defaults() {
        return new LiquidatorConfiguration(
                Mode.WATCH,
                null,
                null,
                null,
                null,
                null,
                BigInteger.ZERO,
                new BigInteger("3000000000"),
                null,
                new BigInteger("100000000000"),
                MIN_FEE_BUMP_PERCENT,
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                500_000,
                Duration.ofSeconds(1),
                null,
                true);
    }

    public LiquidatorConfiguration withMode(Mode value) {
        Changes c = new Changes(this);
        c.mode = value;
        return c.build();
    }

    public LiquidatorConfiguration withReceiver(String value) {
        Changes c = new Changes(this);
        c.receiver = value;
        return c.build();
    }

    public LiquidatorConfiguration withMinProfit(BigInteger value) {
        Changes c = new Changes(this);
        c.minProfit = value;
        return c.build();
    }

    public LiquidatorConfiguration withFees(
            BigInteger priorityFee, BigInteger cap, BigDecimal bumpPercent) {
        Changes c = new Changes(this);
        c.priorityFeePerGas = priorityFee;
        c.maxFeePerGasCap = cap;
        c.feeBumpPercent = bumpPercent;
        return c.build();
    }

    public LiquidatorConfiguration withTiming(Duration stuck, Duration cool) {
        Changes c = new Changes(this);
        c.stuckAfter = stuck;
        c.cooldown = cool;
        return c.build();
    }

    public LiquidatorConfiguration withKeystore(String path, String passwordFile) {
        Changes c = new Changes(this);
        c.keystore = path;
        c.keystorePasswordFile = passwordFile;
        return c.build();
    }

    public LiquidatorConfiguration withAuctionTakeDiscount(BigDecimal percent) {
        Changes c = new Changes(this);
        c.auctionTakeDiscount = percent;
        return c.build();
    }

    public LiquidatorConfiguration withRestartUnpaid(boolean value) {
        Changes c = new Changes(this);
        c.restartUnpaid = value;
        return c.build();
    }

    /**
     * A copy of a configuration whose settings the withers change before {@link #build()} makes a
     * new one, validated as a configuration read from a file is: the one place that lists every
     * setting in the constructor's order.
     */
    private static final class Changes {
        private Mode mode;
        private String keystore;
        private String keystorePasswordFile;
        private String keystorePasswordEnv;
        private String privateKeyEnv;
        private String receiver;
        private BigInteger minProfit;
        private BigInteger nativePrice;
        private BigInteger priorityFeePerGas;
        private BigInteger maxFeePerGasCap;
        private BigDecimal feeBumpPercent;
        private Duration stuckAfter;
        private Duration cooldown;
        private long gasLimit;
        private Duration pollInterval;
        private BigDecimal auctionTakeDiscount;
        private boolean restartUnpaid;

        Changes(LiquidatorConfiguration c) {
            mode = c.mode;
            keystore = c.keystore;
            keystorePasswordFile = c.keystorePasswordFile;
            keystorePasswordEnv = c.keystorePasswordEnv;
            privateKeyEnv = c.privateKeyEnv;
            receiver = c.receiver;
            minProfit = c.minProfit;
            nativePrice = c.nativePrice;
            priorityFeePerGas = c.priorityFeePerGas;
            maxFeePerGasCap = c.maxFeePerGasCap;
            feeBumpPercent = c.feeBumpPercent;
            stuckAfter = c.stuckAfter;
            cooldown = c.cooldown;
            gasLimit = c.gasLimit;
            pollInterval = c.pollInterval;
            auctionTakeDiscount = c.auctionTakeDiscount;
            restartUnpaid = c.restartUnpaid;
        }

        LiquidatorConfiguration build() {
            return new LiquidatorConfiguration(
                    mode,
                    keystore,
                    keystorePasswordFile,
                    keystorePasswordEnv,
                    privateKeyEnv,
                    receiver,
                    minProfit,
                    nativePrice,
                    priorityFeePerGas,
                    maxFeePerGasCap,
                    feeBumpPercent,
                    stuckAfter,
                    cooldown,
                    gasLimit,
                    pollInterval,
                    auctionTakeDiscount,
                    restartUnpaid);
        }
    }

    public static IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException("freehold.node.liquidator." + name + " " + problem);
    }

    private static void requireNonNegative(String name, BigInteger value) {
        if (value == null || value.signum() < 0) {
            throw invalid(name, "must be zero or more, was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(name, "must be a positive duration, was " + value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String blankToDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
