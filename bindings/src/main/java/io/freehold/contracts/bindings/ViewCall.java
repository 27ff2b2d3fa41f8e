package io.freehold.contracts.bindings;

import java.util.List;
import java.util.Objects;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

/**
 * One read-only contract call: the call data to send with {@code eth_call} and the decoder of the
 * bytes it returns, both from the function's ABI (the generated wrapper's function name and struct
 * types). The transport is the caller's: the node sends {@link #data()} through its endpoint layer
 * (retries, breaker, rate limit), the SDK through the caller's web3j; both decode the answer here.
 *
 * @param <T> what the call answers, in the shared types ({@code io.freehold.types}, {@code
 *     io.freehold.contracts.math})
 */
public final class ViewCall<T> {

    /** What a call's raw ABI values become. */
    @FunctionalInterface
    interface Result<T> {
        T from(List<Type> values);
    }

    private final Function function;
    private final String data;
    private final int words;
    private final Result<T> result;

    ViewCall(Function function, Result<T> result) {
        this.function = function;
        this.data = FunctionEncoder.encode(function);
        this.words = words(function.getOutputParameters());
        this.result = result;
    }

    /** The function's name, e.g. {@code marketParams}: for messages. */
    public String name() {
        return function.getName();
    }

    /** The ABI-encoded call data (selector and arguments), 0x-prefixed. */
    public String data() {
        return data;
    }

    /**
     * The call's answer decoded with the function's output types.
     *
     * @param returnData the {@code eth_call} result, 0x-prefixed hex
     * @throws IllegalArgumentException if the data is shorter than the outputs or not their
     *     encoding: the address called is not a contract of the expected kind (an EOA answers
     *     {@code 0x})
     */
    public T decode(String returnData) {
        Objects.requireNonNull(returnData, "returnData");
        int bytes = Numeric.cleanHexPrefix(returnData).length() / 2;
        if (bytes < words * 32) {
            throw new IllegalArgumentException(
                    "expected "
                            + words
                            + " words of return data from "
                            + name()
                            + ", got "
                            + bytes
                            + " bytes (is the address a contract of the right kind?)");
        }
        try {
            return result.from(
                    FunctionReturnDecoder.decode(returnData, function.getOutputParameters()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "the return data of " + name() + " does not decode: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name();
    }

    /**
     * The 32-byte words the outputs take: every view read here returns static types, a struct as
     * its fields in a row.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int words(List<TypeReference<Type>> outputs) {
        int words = 0;
        for (TypeReference<Type> output : outputs) {
            Class<?> type;
            try {
                type = output.getClassType();
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            words +=
                    StaticStruct.class.isAssignableFrom(type)
                            ? Utils.staticStructNestedPublicFieldsFlatList((Class) type).size()
                            : 1;
        }
        return words;
    }
}
