package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A revert the contract would make: the custom error and its arguments, which encode to exactly the
 * revert data the chain returns.
 *
 * @param reason the error
 * @param arguments its uint256 arguments, in declaration order
 */
public record Revert<R extends RevertReason>(R reason, List<BigInteger> arguments) {

    public Revert {
        if (reason == null) {
            throw new IllegalArgumentException("reason is null");
        }
        arguments = List.copyOf(arguments);
        if (arguments.size() != reason.arity()) {
            throw new IllegalArgumentException(
                    reason.errorSignature()
                            + " takes "
                            + reason.arity()
                            + " arguments, got "
                            + arguments.size());
        }
        for (int i = 0; i < arguments.size(); i++) {
            Uint256.check(arguments.get(i), reason.errorSignature() + " argument " + i);
        }
    }

    static <R extends RevertReason> Revert<R> of(R reason, BigInteger... arguments) {
        return new Revert<>(reason, List.of(arguments));
    }

    /** The 4-byte selector, 0x-hex. */
    public String selector() {
        return reason.selector();
    }

    /** The ABI-encoded revert data, 0x-hex: the selector, then each argument as 32 bytes. */
    public String data() {
        StringBuilder data = new StringBuilder(reason.selector());
        for (BigInteger argument : arguments) {
            String digits = argument.toString(16);
            data.append("0".repeat(64 - digits.length())).append(digits);
        }
        return data.toString();
    }

    /** The error as Solidity would print it, e.g. {@code MaxLtvExceeded(1201, 1200)}. */
    @Override
    public String toString() {
        String name = reason.errorSignature().substring(0, reason.errorSignature().indexOf('('));
        return arguments.stream()
                .map(BigInteger::toString)
                .collect(Collectors.joining(", ", name + "(", ")"));
    }
}
