package io.freehold.node.aave;

import io.freehold.contracts.math.FixedPoint;
import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveLiquidationPreview;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptKind;
import io.freehold.node.liquidation.decide.GasCheck;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.LiquidationPlan;
import io.freehold.node.liquidation.decide.LiquidationProtocol;
import io.freehold.node.liquidation.decide.PreflightResult;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.node.liquidation.transact.FeeEstimator;
import io.freehold.node.liquidation.transact.Fees;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * An Aave v3 pool as a {@link LiquidationProtocol}: the node's liquidator plans, preflights and
 * proves {@code liquidationCall}s with it, and the executor does the rest exactly as on Freehold's
 * pool (attempts recorded before sending, nonces, fee bumps, finality, orphaning).
 *
 * <p>Plan: {@code liquidationCall(collateral, debt, user, debtToCover, receiveAToken=false)} as
 * {@link AaveLiquidationPreview#largest} sizes it on the book at the applied block (the account's
 * largest debt against its largest collateral). The checks, each refusal with a {@link SkipReason},
 * all pinned to the applied block:
 *
 * <ol>
 *   <li>the preview exists (health factor below 1, debt and collateral left): else {@code
 *       POSITION_HEALTHY};
 *   <li>a permissioned collateral's transfer rule lets the aToken hand the underlying to the
 *       liquidator ({@link CollateralTransferRule}: {@code RECEIVER_NOT_ALLOWED} naming who is not
 *       a verified holder, or frozen; {@code COLLATERAL_PAUSED}); a collateral without the rule's
 *       view is not checked here;
 *   <li>the liquidator holds the debt asset and has approved the pool for {@code debtToCover}: the
 *       node never approves by itself (an operator's decision, made once with {@code approve(pool,
 *       max)}), so a short allowance is a skip that says so;
 *   <li>the call simulated with {@code eth_call} from the liquidator succeeds ({@code WOULD_REVERT}
 *       with the pool's error code otherwise);
 *   <li>fees under the cap, the gas estimate within {@code gas-limit} and paid for;
 *   <li>profit: the incentive (collateral received valued in the debt asset, minus the debt paid)
 *       priced in the base currency with the oracle's price of the debt asset at the applied block,
 *       minus the gas (estimate × the expected price per gas × {@code aave.native-price}), above
 *       {@code aave.min-profit}.
 * </ol>
 *
 * <p>Profits and gas are counted in the pool's base currency units (the oracle's unit). Proof: the
 * pool's {@code LiquidationCall} for the attempt's user with the node's liquidator as {@code
 * liquidator}; the realised profit is the collateral received minus the debt paid at the oracle's
 * prices of the inclusion block, minus the gas paid.
 */
public final class AaveLiquidationProtocol implements LiquidationProtocol {

    private static final BigInteger WEI_PER_COIN = BigInteger.TEN.pow(18);

    /**
     * {@code LiquidationCall(address indexed collateralAsset, address indexed debtAsset, address
     * indexed user, uint256 debtToCover, uint256 liquidatedCollateralAmount, address liquidator,
     * bool receiveAToken)}.
     */
    static final String LIQUIDATION_CALL_TOPIC =
            EventEncoder.encode(
                    new Event(
                            "LiquidationCall",
                            List.of(
                                    new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
                                    new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
                                    new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
                                    new TypeReference<Uint256>() {},
                                    new TypeReference<Uint256>() {},
                                    new TypeReference<org.web3j.abi.datatypes.Address>() {},
                                    new TypeReference<Bool>() {})));

    private final LiquidatorRpc rpc;
    private final GasCheck gasCheck;
    private final CollateralTransferRule transferRule;
    private final Supplier<Optional<AppliedAaveBook>> applied;
    private final AaveMarketContracts market;
    private final Address liquidator;
    private final BigInteger nativePrice;
    private final BigInteger minProfit;

    /**
     * @param applied the follower's book at its applied block, asked at each check
     * @param nativePrice base currency units per native coin ({@code aave.native-price})
     * @param minProfit base currency units ({@code aave.min-profit})
     */
    public AaveLiquidationProtocol(
            LiquidatorConfiguration config,
            LiquidatorRpc rpc,
            FeeEstimator feeEstimator,
            Supplier<Optional<AppliedAaveBook>> applied,
            AaveMarketContracts market,
            Address liquidator,
            BigInteger nativePrice,
            BigInteger minProfit) {
        this.rpc = rpc;
        this.gasCheck = new GasCheck(config, rpc, feeEstimator, liquidator);
        this.transferRule = new CollateralTransferRule(rpc, liquidator);
        this.applied = applied;
        this.market = market;
        this.liquidator = liquidator;
        this.nativePrice = nativePrice;
        this.minProfit = minProfit;
    }

    /** The calldata of {@code Pool.liquidationCall} for {@code p} on {@code user}. */
    static String liquidationCall(Address user, AaveLiquidationPreview p) {
        return FunctionEncoder.encode(
                new Function(
                        "liquidationCall",
                        List.of(
                                new org.web3j.abi.datatypes.Address(p.collateralAsset().hex()),
                                new org.web3j.abi.datatypes.Address(p.debtAsset().hex()),
                                new org.web3j.abi.datatypes.Address(user.hex()),
                                new Uint256(p.debtToCover()),
                                new Bool(false)),
                        List.of()));
    }

    @Override
    public Address receiver() {
        return liquidator; // receiveAToken=false: the underlying collateral goes to the caller
    }

    @Override
    public BigInteger gasCost(BigInteger wei) {
        return FixedPoint.mulDivUp(wei, nativePrice, WEI_PER_COIN);
    }

    @Override
    public PreflightResult check(
            LiquidationCandidate c, LiquidatorRpc.Head head, BigInteger committedFunds) {
        Optional<AppliedAaveBook> at = applied.get();
        if (at.isEmpty()) {
            return skip(c, head.number(), SkipReason.WOULD_REVERT, "no block applied yet");
        }
        AaveBook book = at.get().book();
        long b = at.get().block().number();
        Address user = c.borrower();
        Optional<AaveLiquidationPreview> sized =
                AaveLiquidationPreview.largest(book, user, at.get().block().timestamp());
        if (sized.isEmpty()) {
            return skip(
                    c,
                    b,
                    SkipReason.POSITION_HEALTHY,
                    "the pool would refuse any liquidationCall of "
                            + user
                            + " at block "
                            + b
                            + " (health factor at or above 1, or no debt or collateral left)");
        }
        AaveLiquidationPreview p = sized.get();
        Address pool = market.pool();
        // receiveAToken=false: the underlying collateral moves from the reserve's aToken to the
        // liquidator, under the collateral's own rule if it has one.
        Optional<CollateralTransferRule.Refusal> refused =
                transferRule.refusal(
                        p.collateralAsset(),
                        book.reserveOf(p.collateralAsset()).aToken(),
                        liquidator,
                        b);
        if (refused.isPresent()) {
            return skip(c, b, refused.get().reason(), refused.get().message());
        }
        // Every attempt in flight is for another account and may use another debt asset: the
        // simulation at the applied block is the balance check, not a sum across attempts.
        BigInteger balance = erc20(p.debtAsset(), "balanceOf", liquidator, null, b);
        if (balance.compareTo(p.debtToCover()) < 0) {
            return skip(
                    c,
                    b,
                    SkipReason.INSUFFICIENT_BALANCE,
                    "liquidator "
                            + liquidator
                            + " holds "
                            + balance
                            + " of "
                            + p.debtAsset()
                            + ", the liquidation repays "
                            + p.debtToCover());
        }
        BigInteger allowance = erc20(p.debtAsset(), "allowance", liquidator, pool, b);
        if (allowance.compareTo(p.debtToCover()) < 0) {
            return skip(
                    c,
                    b,
                    SkipReason.INSUFFICIENT_ALLOWANCE,
                    "liquidator "
                            + liquidator
                            + " has approved pool "
                            + pool
                            + " for "
                            + allowance
                            + " of "
                            + p.debtAsset()
                            + ", the liquidation repays "
                            + p.debtToCover()
                            + "; the node does not approve by itself: approve the pool once"
                            + " (docs/AAVE.md)");
        }
        String calldata = liquidationCall(user, p);
        LiquidatorRpc.CallResult simulation = rpc.call(liquidator, pool, calldata, b);
        if (simulation.reverted()) {
            return skip(
                    c,
                    b,
                    SkipReason.WOULD_REVERT,
                    "liquidationCall from "
                            + liquidator
                            + " reverts at block "
                            + b
                            + ": "
                            + simulation.message());
        }
        GasCheck.Outcome checked =
                gasCheck.check(
                        head,
                        pool,
                        calldata,
                        (block, estimate) ->
                                new GasCheck.Refusal(
                                        SkipReason.WOULD_REVERT,
                                        "gas estimate after block "
                                                + block
                                                + " reverts: "
                                                + estimate.message()));
        if (checked.refusal().isPresent()) {
            GasCheck.Refusal refusal = checked.refusal().get();
            return skip(c, b, refusal.reason(), refusal.message());
        }
        Fees fees = checked.fees();
        long gas = checked.estimate();
        BigInteger gasCost = gasCost(checked.expectedWei());
        // The incentive is in debt-asset base units; the oracle's price of one whole debt token
        // makes it base currency (rounded down: the gain is not overstated).
        BigInteger incentive = inBase(book, p.debtAsset(), p.incentive());
        BigInteger profit = incentive.subtract(gasCost);
        if (profit.compareTo(minProfit) <= 0) {
            return skip(
                    c,
                    b,
                    SkipReason.NOT_PROFITABLE,
                    "expected profit "
                            + profit
                            + " (incentive "
                            + incentive
                            + " minus gas "
                            + gasCost
                            + ", base currency units) is not above freehold.node.aave.min-profit "
                            + minProfit);
        }
        BigInteger seizedValue = inBase(book, p.collateralAsset(), p.collateralToLiquidator());
        LiquidationPlan plan =
                new LiquidationPlan(
                        c,
                        b,
                        liquidator,
                        liquidator,
                        p.debtAsset(),
                        p.collateralAsset(),
                        p.debtToCover(),
                        p.debtToCover(),
                        p.collateralToLiquidator(),
                        BigInteger.ZERO,
                        book.price(p.collateralAsset()),
                        seizedValue,
                        p.debtToCover(),
                        gas,
                        fees,
                        gasCost,
                        profit,
                        calldata,
                        AttemptKind.AAVE_LIQUIDATION,
                        pool);
        return new PreflightResult(
                c,
                b,
                Optional.of(plan),
                Optional.empty(),
                "would liquidationCall("
                        + p.collateralAsset()
                        + ", "
                        + p.debtAsset()
                        + ", "
                        + user
                        + ", "
                        + p.debtToCover()
                        + ", false): receive "
                        + p.collateralToLiquidator()
                        + ", gas ~"
                        + gas
                        + " = "
                        + gasCost
                        + ", expected profit "
                        + profit
                        + " (base currency, block "
                        + b
                        + ")",
                AttemptKind.AAVE_LIQUIDATION,
                OptionalLong.empty());
    }

    @Override
    public Optional<Proof> prove(Attempt a, TransactionReceipt receipt, BigInteger gasCost) {
        long block = receipt.getBlockNumber().longValueExact();
        Address pool = a.target().orElse(market.pool());
        for (Log log : receipt.getLogs()) {
            List<String> topics = log.getTopics();
            if (topics.size() != 4
                    || !pool.equals(Address.of(log.getAddress()))
                    || !LIQUIDATION_CALL_TOPIC.equalsIgnoreCase(topics.get(0))
                    || !a.borrower().equals(topicAddress(topics.get(3)))) {
                continue;
            }
            String data = Numeric.cleanHexPrefix(log.getData());
            BigInteger debtPaid = word(data, 0);
            BigInteger collateralReceived = word(data, 1);
            Address by = Address.of("0x" + data.substring(64 * 2 + 24, 64 * 3));
            if (!by.equals(a.liquidator())) {
                continue;
            }
            Address collateral = topicAddress(topics.get(1));
            Address debt = topicAddress(topics.get(2));
            BigInteger profit =
                    valueAt(collateral, collateralReceived, block)
                            .subtract(valueAt(debt, debtPaid, block))
                            .subtract(gasCost);
            return Optional.of(
                    new Proof(
                            debtPaid,
                            collateralReceived,
                            BigInteger.ZERO,
                            profit,
                            "liquidationCall in block "
                                    + block
                                    + ": repaid "
                                    + debtPaid
                                    + " of "
                                    + debt
                                    + ", received "
                                    + collateralReceived
                                    + " of "
                                    + collateral
                                    + " (profit in base currency units)"));
        }
        return Optional.empty();
    }

    /** {@code amount} base units of {@code asset} in base currency at the book's price. */
    private static BigInteger inBase(AaveBook book, Address asset, BigInteger amount) {
        return amount.multiply(book.price(asset)).divide(unit(book, asset));
    }

    /**
     * {@code amount} base units of {@code asset} in base currency at the oracle's price of {@code
     * block}.
     */
    private BigInteger valueAt(Address asset, BigInteger amount, long block) {
        AaveBook book = applied.get().map(AppliedAaveBook::book).orElseThrow();
        String data =
                FunctionEncoder.encode(
                        new Function(
                                "getAssetPrice",
                                List.of(new org.web3j.abi.datatypes.Address(asset.hex())),
                                List.of()));
        LiquidatorRpc.CallResult price = rpc.call(liquidator, market.oracle(), data, block);
        if (price.reverted()) {
            throw new IllegalStateException(
                    "the oracle's getAssetPrice(" + asset + ") reverts at block " + block);
        }
        return amount.multiply(Numeric.toBigInt(price.returnData())).divide(unit(book, asset));
    }

    private static BigInteger unit(AaveBook book, Address asset) {
        return BigInteger.TEN.pow(book.reserveOf(asset).configuration().decimals());
    }

    /** An ERC-20 view of one or two address arguments returning a uint256, at {@code block}. */
    private BigInteger erc20(
            Address token, String view, Address first, Address second, long block) {
        List<org.web3j.abi.datatypes.Type> args =
                second == null
                        ? List.of(new org.web3j.abi.datatypes.Address(first.hex()))
                        : List.of(
                                new org.web3j.abi.datatypes.Address(first.hex()),
                                new org.web3j.abi.datatypes.Address(second.hex()));
        LiquidatorRpc.CallResult result =
                rpc.call(
                        liquidator,
                        token,
                        FunctionEncoder.encode(new Function(view, args, List.of())),
                        block);
        if (result.reverted()) {
            throw new IllegalStateException(
                    view + " of " + token + " reverts at block " + block + ": " + result.message());
        }
        return Numeric.toBigInt(result.returnData());
    }

    private static Address topicAddress(String topic) {
        String hex = Numeric.cleanHexPrefix(topic).toLowerCase(Locale.ROOT);
        return Address.of("0x" + hex.substring(24));
    }

    private static BigInteger word(String data, int index) {
        return new BigInteger(data.substring(64 * index, 64 * (index + 1)), 16);
    }

    private static PreflightResult skip(
            LiquidationCandidate c, long block, SkipReason reason, String message) {
        return new PreflightResult(
                c,
                block,
                Optional.empty(),
                Optional.of(reason),
                message,
                AttemptKind.AAVE_LIQUIDATION,
                OptionalLong.empty());
    }
}
