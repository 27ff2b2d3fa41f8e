package io.freehold.contracts.bindings;

import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.math.Appraisal;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The pool's and the oracle's views as {@link ViewCall}s: call data encoded and answers decoded
 * from the ABI (the generated wrappers' function names and struct types), into the math's types.
 * The node and the SDK read the chain through these, each with its own transport.
 */
public final class PoolViews {

    private PoolViews() {}

    /** What {@code liquidate} returns; amounts in base units. */
    public record LiquidationResult(
            BigInteger repaidAssets, BigInteger seizedCollateral, BigInteger badDebtAssets) {}

    /** The pool's {@code marketParams(id)}: the market's terms. */
    public static ViewCall<MarketTerms> marketParams(MarketId id) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_MARKETPARAMS,
                        List.of(abiBytes32(id)),
                        List.of(new TypeReference<LendingPool.MarketParams>() {})),
                v -> PoolStructs.terms((LendingPool.MarketParams) v.get(0)));
    }

    /** The pool's {@code market(id)}: the totals accrued to the block's timestamp. */
    public static ViewCall<MarketState> market(MarketId id) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_MARKET,
                        List.of(abiBytes32(id)),
                        List.of(new TypeReference<LendingPool.Market>() {})),
                v -> PoolStructs.market((LendingPool.Market) v.get(0)));
    }

    /** The pool's {@code positionShares(id, account)}: the position as stored. */
    public static ViewCall<PositionState> positionShares(MarketId id, Address account) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_POSITIONSHARES,
                        List.of(abiBytes32(id), abiAddress(account)),
                        List.of(new TypeReference<LendingPool.Position>() {})),
                v -> PoolStructs.position((LendingPool.Position) v.get(0)));
    }

    /** The pool's {@code position(id, account)}: the position valued at the block. */
    public static ViewCall<LendingPool.PositionView> position(MarketId id, Address account) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_POSITION,
                        List.of(abiBytes32(id), abiAddress(account)),
                        List.of(new TypeReference<LendingPool.PositionView>() {})),
                v -> (LendingPool.PositionView) v.get(0));
    }

    /**
     * The pool's {@code rentIndex(token)}: rent per collateral token pulled so far (RENT_SCALE).
     */
    public static ViewCall<BigInteger> rentIndex(Address token) {
        return uintView(LendingPool.FUNC_RENTINDEX, abiAddress(token));
    }

    /** The pool's {@code totalCollateralOf(token)}: the token held as collateral by all markets. */
    public static ViewCall<BigInteger> totalCollateralOf(Address token) {
        return uintView(LendingPool.FUNC_TOTALCOLLATERALOF, abiAddress(token));
    }

    /**
     * {@code liquidate(id, borrower, repayAssets, receiver)}: sent as a transaction, or simulated
     * with {@code eth_call} for what it would repay and seize.
     */
    public static ViewCall<LiquidationResult> liquidate(
            MarketId id, Address borrower, BigInteger repayAssets, Address receiver) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_LIQUIDATE,
                        List.of(
                                abiBytes32(id),
                                abiAddress(borrower),
                                new Uint256(repayAssets),
                                abiAddress(receiver)),
                        List.of(
                                new TypeReference<Uint256>() {},
                                new TypeReference<Uint256>() {},
                                new TypeReference<Uint256>() {})),
                v ->
                        new LiquidationResult(
                                (BigInteger) v.get(0).getValue(),
                                (BigInteger) v.get(1).getValue(),
                                (BigInteger) v.get(2).getValue()));
    }

    /** The oracle's {@code feed(token)}: the latest appraisal and the feed's max age. */
    public static ViewCall<Appraisal> feed(Address token) {
        return new ViewCall<>(
                new Function(
                        AppraisalOracle.FUNC_FEED,
                        List.of(abiAddress(token)),
                        List.of(new TypeReference<AppraisalOracle.Feed>() {})),
                v -> {
                    AppraisalOracle.Feed f = (AppraisalOracle.Feed) v.get(0);
                    return new Appraisal(f.price, f.updatedAt.longValueExact(), f.maxAge);
                });
    }

    /** The oracle's {@code isStale(token)}: the oracle's own verdict at the block. */
    public static ViewCall<Boolean> isStale(Address token) {
        return boolView(AppraisalOracle.FUNC_ISSTALE, abiAddress(token));
    }

    static ViewCall<BigInteger> uintView(String function, Type<?>... inputs) {
        return new ViewCall<>(
                new Function(function, List.of(inputs), List.of(new TypeReference<Uint256>() {})),
                v -> (BigInteger) v.get(0).getValue());
    }

    static ViewCall<Boolean> boolView(String function, Type<?>... inputs) {
        return new ViewCall<>(
                new Function(function, List.of(inputs), List.of(new TypeReference<Bool>() {})),
                v -> (Boolean) v.get(0).getValue());
    }

    static ViewCall<Address> addressView(String function, Type<?>... inputs) {
        return new ViewCall<>(
                new Function(
                        function,
                        List.of(inputs),
                        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {})),
                v -> Address.of(v.get(0).toString()));
    }

    static Bytes32 abiBytes32(MarketId id) {
        return new Bytes32(id.toBytes());
    }

    static org.web3j.abi.datatypes.Address abiAddress(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }
}
