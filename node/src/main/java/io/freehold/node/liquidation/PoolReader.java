package io.freehold.node.liquidation;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * The contract views preflight needs, each read with {@code eth_call} at one pinned block so that
 * every number describes the same state: the chain's now, not the node's memory. The answers are
 * static tuples, decoded word by word.
 */
final class PoolReader {

    /**
     * An appraisal as the oracle holds it: price (PRICE_SCALE), its time, and whether it is stale
     * now.
     */
    record Appraisal(BigInteger price, long updatedAt, BigInteger maxAge, boolean stale) {}

    /** A view reverted: the market does not exist, the feed is unknown... */
    static final class ViewReverted extends RuntimeException {
        final RevertDecoder.Decoded revert;

        ViewReverted(String view, RevertDecoder.Decoded revert) {
            super(view + " reverted: " + revert);
            this.revert = revert;
        }
    }

    private final LiquidatorRpc rpc;
    private final Address pool;
    // eth_call needs a sender; views do not care which. The zero address has no code and no state.
    private final Address caller = Address.of("0x0000000000000000000000000000000000000000");

    PoolReader(LiquidatorRpc rpc, Address pool) {
        this.rpc = rpc;
        this.pool = pool;
    }

    Address pool() {
        return pool;
    }

    MarketTerms terms(MarketId id, long block) {
        List<BigInteger> w =
                words(view(pool, LendingPool.FUNC_MARKETPARAMS, block, bytes32(id)), 13);
        return new MarketTerms(
                Address.of(address(w.get(0))),
                Address.of(address(w.get(1))),
                Address.of(address(w.get(2))),
                w.get(3),
                w.get(4),
                w.get(5),
                w.get(6),
                w.get(7),
                w.get(8),
                w.get(9),
                w.get(10),
                w.get(11),
                w.get(12));
    }

    /** The market's totals accrued to the block's timestamp (the {@code market(id)} view). */
    MarketState market(MarketId id, long block) {
        List<BigInteger> w = words(view(pool, LendingPool.FUNC_MARKET, block, bytes32(id)), 6);
        return new MarketState(
                w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), w.get(5).longValueExact());
    }

    /** The stored position (the {@code positionShares(id, account)} view). */
    PositionState position(MarketId id, Address account, long block) {
        List<BigInteger> w =
                words(
                        view(
                                pool,
                                LendingPool.FUNC_POSITIONSHARES,
                                block,
                                bytes32(id),
                                address(account)),
                        5);
        return new PositionState(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4));
    }

    Appraisal appraisal(Address oracle, Address token, long block) {
        List<BigInteger> feed = words(view(oracle, "feed", block, address(token)), 4);
        boolean stale = bool(view(oracle, "isStale", block, address(token)));
        return new Appraisal(feed.get(0), feed.get(1).longValueExact(), feed.get(2), stale);
    }

    boolean paused(Address token, long block) {
        return bool(view(token, "paused", block));
    }

    boolean canReceive(Address token, Address account, long block) {
        return bool(view(token, "canReceive", block, address(account)));
    }

    boolean frozen(Address token, Address account, long block) {
        return bool(view(token, "isFrozen", block, address(account)));
    }

    Address identityRegistry(Address token, long block) {
        return Address.of(address(words(view(token, "identityRegistry", block), 1).get(0)));
    }

    boolean verified(Address registry, Address account, long block) {
        return bool(view(registry, "isVerified", block, address(account)));
    }

    BigInteger balanceOf(Address erc20, Address account, long block) {
        return words(view(erc20, "balanceOf", block, address(account)), 1).get(0);
    }

    BigInteger allowance(Address erc20, Address owner, Address spender, long block) {
        return words(view(erc20, "allowance", block, address(owner), address(spender)), 1).get(0);
    }

    /** The calldata of {@code liquidate(id, borrower, repayAssets, receiver)}. */
    static String liquidateCalldata(
            MarketId id, Address borrower, BigInteger repayAssets, Address receiver) {
        return FunctionEncoder.encode(
                new Function(
                        LendingPool.FUNC_LIQUIDATE,
                        List.of(
                                bytes32(id),
                                address(borrower),
                                new Uint256(repayAssets),
                                address(receiver)),
                        List.of()));
    }

    /** Simulates {@code liquidate} from the liquidator at {@code block}. */
    LiquidatorRpc.CallResult simulate(Address liquidator, String calldata, long block) {
        return rpc.call(liquidator, pool, calldata, block);
    }

    /**
     * The three words {@code liquidate} returns: repaid assets, seized collateral, bad debt assets.
     */
    static List<BigInteger> liquidationResult(String returnData) {
        return words(returnData, 3);
    }

    private String view(Address contract, String function, long block, Type<?>... inputs) {
        String data = FunctionEncoder.encode(new Function(function, List.of(inputs), List.of()));
        LiquidatorRpc.CallResult result = rpc.call(caller, contract, data, block);
        if (result.reverted()) {
            throw new ViewReverted(function, RevertDecoder.decode(result.revertData()));
        }
        return result.returnData();
    }

    /** The first {@code count} 32-byte words of ABI-encoded return data. */
    static List<BigInteger> words(String hex, int count) {
        String data = Numeric.cleanHexPrefix(hex);
        if (data.length() < count * 64) {
            throw new LiquidatorRpcException(
                    "expected "
                            + count
                            + " words of return data, got "
                            + data.length() / 2
                            + " bytes (is the address a contract of the right kind?)");
        }
        List<BigInteger> words = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            words.add(new BigInteger(data.substring(i * 64, (i + 1) * 64), 16));
        }
        return words;
    }

    private static boolean bool(String hex) {
        return words(hex, 1).get(0).signum() != 0;
    }

    private static String address(BigInteger word) {
        return Numeric.toHexStringWithPrefixZeroPadded(word, 40);
    }

    private static Bytes32 bytes32(MarketId id) {
        return new Bytes32(Numeric.hexStringToByteArray(id.hex()));
    }

    private static org.web3j.abi.datatypes.Address address(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }
}
