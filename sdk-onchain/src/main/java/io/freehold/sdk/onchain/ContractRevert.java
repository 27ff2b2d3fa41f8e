package io.freehold.sdk.onchain;

import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.bindings.DecodedRevert;
import io.freehold.contracts.math.Revert;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.web3j.utils.Numeric;

/**
 * A revert decoded: which {@link ContractError} and its arguments, typed ({@code uint256} as {@link
 * BigInteger}, {@code address} as {@link Address}, the market id as {@link MarketId}, {@code
 * string} as {@link String}). web3j's wrappers drop custom errors ("execution reverted" with the
 * data unread), so the SDK reads the data itself.
 *
 * <pre>{@code
 * ContractRevert r = ContractRevert.decode("0x3b8e7a1c...");
 * r.error();            // ContractError.MAX_LTV_EXCEEDED
 * r.uint("debt");       // 1201000000
 * r.toString();         // "MaxLtvExceeded(debt=1201000000, maxDebt=1200000000)"
 * }</pre>
 *
 * @param error the error; {@link ContractError#UNKNOWN} when the data is not one this SDK knows
 * @param arguments in declaration order; empty for {@link ContractError#UNKNOWN}
 * @param data the raw revert data, 0x-hex ({@code 0x} when the revert carried none)
 */
public record ContractRevert(ContractError error, List<Object> arguments, String data) {

    public ContractRevert {
        Objects.requireNonNull(error, "error");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(data, "data");
    }

    /**
     * Decodes revert data as {@code eth_call} returns it: the 4-byte selector and the ABI-encoded
     * arguments. Data that is empty, unknown or malformed decodes to {@link ContractError#UNKNOWN},
     * never throws.
     */
    public static ContractRevert decode(String revertData) {
        DecodedRevert decoded = DecodedRevert.decode(revertData);
        return new ContractRevert(decoded.error(), decoded.arguments(), decoded.data());
    }

    /**
     * The revert the contracts module's offline math predicts ({@code
     * io.freehold.contracts.math.Previews}), in the same form as one read from the chain, so the
     * two compare with {@code equals}.
     */
    public static ContractRevert of(Revert<?> predicted) {
        return decode(predicted.data());
    }

    /**
     * The revert {@code error} with these arguments would carry, encoded as the chain would return
     * it: for offline checks that predict one ({@code uint256} as {@link BigInteger}, {@code
     * address} as {@link Address}, {@code bytes32} as {@link MarketId}; {@code string} arguments
     * are not supported).
     *
     * <pre>{@code
     * ContractRevert r = ContractRevert.of(ContractError.STALE_PRICE, token, BigInteger.valueOf(updatedAt));
     * }</pre>
     */
    public static ContractRevert of(ContractError error, Object... arguments) {
        List<String> types = error.parameterTypes();
        if (error == ContractError.UNKNOWN || arguments.length != types.size()) {
            throw new IllegalArgumentException(
                    error + " takes " + types.size() + " arguments, got " + arguments.length);
        }
        StringBuilder data = new StringBuilder(error.selector());
        for (int i = 0; i < arguments.length; i++) {
            Object argument = arguments[i];
            if (argument instanceof BigInteger number && types.get(i).equals("uint256")) {
                data.append(Numeric.toHexStringNoPrefixZeroPadded(number, 64));
            } else if (argument instanceof Address address && types.get(i).equals("address")) {
                data.append(
                        Numeric.toHexStringNoPrefixZeroPadded(
                                new BigInteger(1, address.toBytes()), 64));
            } else if (argument instanceof MarketId id && types.get(i).equals("bytes32")) {
                data.append(Numeric.toHexStringNoPrefix(id.toBytes()));
            } else {
                throw new IllegalArgumentException(
                        error.errorName()
                                + " argument "
                                + i
                                + " must be a "
                                + types.get(i)
                                + ", got "
                                + argument);
            }
        }
        return decode(data.toString());
    }

    /** The Solidity name of the error, e.g. {@code StalePrice}. */
    public String name() {
        return error.errorName();
    }

    /** The argument named {@code parameter} (as in the contract's declaration). */
    public Object argument(String parameter) {
        int index = error.parameterNames().indexOf(parameter);
        if (index < 0) {
            throw new IllegalArgumentException(
                    error.errorName()
                            + " has no parameter "
                            + parameter
                            + "; it has "
                            + error.parameterNames());
        }
        return arguments.get(index);
    }

    /** A {@code uint256} argument, e.g. {@code uint("maxDebt")} of {@code MaxLtvExceeded}. */
    public BigInteger uint(String parameter) {
        return (BigInteger) argument(parameter);
    }

    /** An {@code address} argument, e.g. {@code address("account")} of {@code NotVerified}. */
    public Address address(String parameter) {
        return (Address) argument(parameter);
    }

    /**
     * The error as Solidity would print it, with parameter names: {@code MaxLtvExceeded(debt=1201,
     * maxDebt=1200)}.
     */
    @Override
    public String toString() {
        if (error == ContractError.UNKNOWN) {
            return "unknown revert " + (data.equals("0x") ? "without data" : data);
        }
        List<String> names = error.parameterNames();
        return IntStream.range(0, arguments.size())
                .mapToObj(i -> names.get(i) + "=" + arguments.get(i))
                .collect(Collectors.joining(", ", error.errorName() + "(", ")"));
    }
}
