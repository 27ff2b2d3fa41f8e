package io.freehold.contracts.bindings;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

/**
 * Revert data read against the generated {@link ContractError} catalogue: the one decoder of the
 * contracts' custom errors, shared by the node's liquidator and the SDK.
 *
 * <p>web3j 4.13's wrappers drop custom errors (a revert becomes "execution reverted" with the data
 * unread), so callers pass the raw revert data here. Arguments come back typed: {@code address} as
 * {@link Address}, {@code bytes32} as {@link MarketId} (every bytes32 an error carries is a market
 * id), {@code uint256} as {@link java.math.BigInteger}, {@code string} as {@link String}.
 *
 * @param error the error, {@link ContractError#UNKNOWN} when the selector is not in the catalogue,
 *     the data is too short or its arguments do not decode
 * @param arguments the decoded arguments, in declaration order
 * @param data the revert data, lowercase 0x-hex ({@code 0x} when there was none)
 */
public record DecodedRevert(ContractError error, List<Object> arguments, String data) {

    private static final Pattern HEX = Pattern.compile("0x([0-9a-f]{2})*");

    public DecodedRevert {
        Objects.requireNonNull(error, "error");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(data, "data");
    }

    /** Decodes revert data (0x-hex, any case, possibly just {@code 0x} or null). */
    public static DecodedRevert decode(String revertData) {
        String data = revertData == null ? "0x" : revertData.strip().toLowerCase(Locale.ROOT);
        if (!HEX.matcher(data).matches() || data.length() < 10) {
            return new DecodedRevert(
                    ContractError.UNKNOWN, List.of(), HEX.matcher(data).matches() ? data : "0x");
        }
        ContractError error = ContractError.bySelector(data.substring(0, 10));
        if (error == ContractError.UNKNOWN) {
            return new DecodedRevert(error, List.of(), data);
        }
        try {
            return new DecodedRevert(error, arguments(error, data.substring(10)), data);
        } catch (RuntimeException malformed) {
            return new DecodedRevert(ContractError.UNKNOWN, List.of(), data);
        }
    }

    /**
     * The arguments of {@code error} ABI-encoded in {@code encoded} (hex after the selector, no
     * 0x).
     *
     * @throws RuntimeException if they do not decode as the error's declaration says
     */
    public static List<Object> arguments(ContractError error, String encoded) {
        List<String> types = error.parameterTypes();
        if (types.isEmpty()) {
            return List.of();
        }
        List<TypeReference<Type>> references = new ArrayList<>();
        for (String type : types) {
            try {
                @SuppressWarnings("unchecked")
                TypeReference<Type> reference =
                        (TypeReference<Type>) TypeReference.makeTypeReference(type);
                references.add(reference);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("no ABI type " + type, e);
            }
        }
        List<Type> values = FunctionReturnDecoder.decode(encoded, references);
        if (values.size() != types.size()) {
            throw new IllegalArgumentException("revert data does not hold " + error.signature());
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Object value = values.get(i).getValue();
            switch (types.get(i)) {
                case "address" ->
                        out.add(
                                Address.fromBytes(
                                        Numeric.toBytesPadded(
                                                Numeric.toBigInt((String) value), 20)));
                case "bytes32" -> out.add(MarketId.fromBytes((byte[]) value));
                default -> out.add(value); // uint256 as BigInteger, string as String
            }
        }
        return out;
    }
}
