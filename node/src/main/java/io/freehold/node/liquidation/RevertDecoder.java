package io.freehold.node.liquidation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Names the custom error in revert data. web3j 4.13's wrappers drop custom errors (a revert becomes
 * "execution reverted" with the data unread), so the liquidator matches the 4-byte selector,
 * {@code keccak256("Name(types)")}, against the errors a liquidation can meet: the pool's
 * ({@code contracts/src/interfaces/ILendingPool.sol}), the oracle's and the property token's that the
 * pool lets through, OpenZeppelin's ERC-20 errors from the loan token, and Solidity's {@code Error(string)}
 * and {@code Panic(uint256)}. Arguments are decoded by the error's own ABI.
 */
public final class RevertDecoder {

    /**
     * A decoded revert.
     *
     * @param name the error's name, e.g. {@code ReceiverNotAllowed}; {@code unknown} when not recognised
     * @param selector the 4-byte selector, 0x-hex ({@code 0x} when the revert carried no data)
     * @param arguments the arguments as text: addresses 0x-hex, numbers decimal, bytes 0x-hex
     * @param skipReason what the revert means for preflight
     */
    public record Decoded(String name, String selector, List<String> arguments, SkipReason skipReason) {

        /** The error as Solidity would print it: {@code ReceiverNotAllowed(0x90f7…)}. */
        @Override
        public String toString() {
            if (name.equals(UNKNOWN)) {
                return "unknown error " + selector + (arguments.isEmpty() ? "" : " " + arguments.get(0));
            }
            return name + arguments.stream().collect(Collectors.joining(", ", "(", ")"));
        }
    }

    static final String UNKNOWN = "unknown";

    private record Known(String signature, SkipReason skipReason) {}

    private static final List<Known> KNOWN = List.of(
            // LendingPool (ILendingPool), in the order liquidate checks; MarketId is bytes32 in the ABI.
            new Known("ZeroAmount()", SkipReason.WOULD_REVERT),
            new Known("ZeroAddress()", SkipReason.WOULD_REVERT),
            new Known("MarketNotFound(bytes32)", SkipReason.MARKET_NOT_FOUND),
            new Known("CollateralPaused(address)", SkipReason.COLLATERAL_PAUSED),
            new Known("ReceiverNotAllowed(address)", SkipReason.RECEIVER_NOT_ALLOWED),
            new Known("StalePrice(address,uint256)", SkipReason.STALE_PRICE),
            new Known("PositionHealthy(uint256)", SkipReason.POSITION_HEALTHY),
            new Known("ZeroShares()", SkipReason.WOULD_REVERT),
            new Known("MustNotLeaveDust(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("HealthWouldWorsen(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("MarketAlreadyExists(bytes32)", SkipReason.WOULD_REVERT),
            new Known("InvalidMarketParams(string)", SkipReason.WOULD_REVERT),
            new Known("SupplyCapExceeded(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("BorrowCapExceeded(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("InsufficientLiquidity(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("InsufficientSupplyShares(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("InsufficientCollateral(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("RepayExceedsDebt(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("MaxLtvExceeded(uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("RentNotInLoanToken(address,address)", SkipReason.WOULD_REVERT),
            new Known("OwnerNotAllowed(address)", SkipReason.WOULD_REVERT),
            new Known("ReentrancyGuardReentrantCall()", SkipReason.WOULD_REVERT),
            // AppraisalOracle, reached through the pool's price reads.
            new Known("UnknownFeed(address)", SkipReason.STALE_PRICE),
            new Known("NoPrice(address)", SkipReason.STALE_PRICE),
            new Known("PriceMoveTooLarge(address,uint256,uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("AppraisalAlreadyPending(address,uint256,uint256)", SkipReason.WOULD_REVERT),
            new Known("AppraisalExpired(address,uint256)", SkipReason.WOULD_REVERT),
            // PropertyToken, moving the seized collateral.
            new Known("TokenPaused()", SkipReason.COLLATERAL_PAUSED),
            new Known("NotVerified(address)", SkipReason.RECEIVER_NOT_ALLOWED),
            new Known("AccountFrozen(address)", SkipReason.RECEIVER_NOT_ALLOWED),
            // The loan token (OpenZeppelin 5 ERC-20 and SafeERC20), pulling the repayment.
            new Known("ERC20InsufficientBalance(address,uint256,uint256)", SkipReason.INSUFFICIENT_BALANCE),
            new Known("ERC20InsufficientAllowance(address,uint256,uint256)", SkipReason.INSUFFICIENT_ALLOWANCE),
            new Known("SafeERC20FailedOperation(address)", SkipReason.WOULD_REVERT),
            // Solidity's own.
            new Known("Error(string)", SkipReason.WOULD_REVERT),
            new Known("Panic(uint256)", SkipReason.WOULD_REVERT));

    private static final Map<String, Known> BY_SELECTOR = bySelector();

    private RevertDecoder() {}

    /** The 4-byte selector of an error signature, 0x-hex: the first 4 bytes of its keccak256. */
    public static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }

    /** Every error this decoder names, by selector: the table the brief's "map the selectors" asks for. */
    public static Map<String, String> knownErrors() {
        Map<String, String> names = new LinkedHashMap<>();
        BY_SELECTOR.forEach((selector, known) -> names.put(selector, known.signature()));
        return names;
    }

    /** Decodes revert data (0x-hex, possibly just {@code 0x}). */
    public static Decoded decode(String revertData) {
        String data = revertData == null ? "0x" : revertData.strip().toLowerCase(Locale.ROOT);
        if (data.length() < 10) {
            return new Decoded(UNKNOWN, "0x", List.of("(no revert data)"), SkipReason.WOULD_REVERT);
        }
        String selector = data.substring(0, 10);
        Known known = BY_SELECTOR.get(selector);
        if (known == null) {
            return new Decoded(UNKNOWN, selector, List.of("data " + data), SkipReason.WOULD_REVERT);
        }
        String signature = known.signature();
        String name = signature.substring(0, signature.indexOf('('));
        return new Decoded(name, selector, arguments(signature, data.substring(10)), known.skipReason());
    }

    private static List<String> arguments(String signature, String encoded) {
        String list = signature.substring(signature.indexOf('(') + 1, signature.length() - 1);
        if (list.isEmpty()) {
            return List.of();
        }
        List<TypeReference<Type>> types = new ArrayList<>();
        for (String type : list.split(",")) {
            try {
                @SuppressWarnings("unchecked")
                TypeReference<Type> reference = (TypeReference<Type>) TypeReference.makeTypeReference(type);
                types.add(reference);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("no ABI type " + type, e);
            }
        }
        try {
            List<Type> values = FunctionReturnDecoder.decode(encoded, types);
            if (values.size() != types.size()) {
                return List.of("(malformed arguments 0x" + encoded + ")");
            }
            List<String> text = new ArrayList<>();
            for (Type value : values) {
                text.add(format(value.getValue()));
            }
            return text;
        } catch (RuntimeException malformed) {
            return List.of("(malformed arguments 0x" + encoded + ")");
        }
    }

    private static String format(Object value) {
        if (value instanceof byte[] bytes) {
            return Numeric.toHexString(bytes);
        }
        if (value instanceof BigInteger number) {
            return number.toString();
        }
        return Objects.toString(value);
    }

    private static Map<String, Known> bySelector() {
        Map<String, Known> map = new LinkedHashMap<>();
        for (Known known : KNOWN) {
            Known previous = map.put(selector(known.signature()), known);
            if (previous != null) {
                throw new IllegalStateException("selector clash: " + previous.signature() + " and " + known.signature());
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
