package io.freehold.node.liquidation.decide;

import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.bindings.DecodedRevert;
import io.freehold.types.Hex;
import io.freehold.types.Keccak256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Names the custom error in revert data, from the catalogue generated from the contracts' ABIs
 * ({@link ContractError}, decoded by {@link DecodedRevert}), and says what it means for preflight:
 * the errors a liquidation can meet (the pool's, the oracle's and the property token's that the
 * pool lets through, OpenZeppelin's ERC-20 errors from the loan token) have their own skip reasons;
 * every other one, Solidity's {@code Error(string)} and {@code Panic(uint256)} included, "would
 * revert".
 */
public final class RevertDecoder {

    /**
     * A decoded revert.
     *
     * @param name the error's name, e.g. {@code ReceiverNotAllowed}; {@code unknown} when not
     *     recognised
     * @param selector the 4-byte selector, 0x-hex ({@code 0x} when the revert carried no data)
     * @param arguments the arguments as text: addresses 0x-hex, numbers decimal, bytes 0x-hex
     * @param skipReason what the revert means for preflight
     */
    public record Decoded(
            String name, String selector, List<String> arguments, SkipReason skipReason) {

        /** The error as Solidity would print it: {@code ReceiverNotAllowed(0x90f7…)}. */
        @Override
        public String toString() {
            if (name.equals(UNKNOWN)) {
                return "unknown error "
                        + selector
                        + (arguments.isEmpty() ? "" : " " + arguments.get(0));
            }
            return name + arguments.stream().collect(Collectors.joining(", ", "(", ")"));
        }
    }

    static final String UNKNOWN = "unknown";

    /**
     * What each error means for preflight, where it is more than "it would revert". The errors
     * themselves (names, signatures, selectors) come from the generated {@link ContractError}.
     */
    private static final Map<ContractError, SkipReason> SKIP_REASONS =
            Map.ofEntries(
                    // LendingPool (ILendingPool), in the order liquidate checks.
                    Map.entry(ContractError.MARKET_NOT_FOUND, SkipReason.MARKET_NOT_FOUND),
                    Map.entry(ContractError.COLLATERAL_PAUSED, SkipReason.COLLATERAL_PAUSED),
                    Map.entry(ContractError.RECEIVER_NOT_ALLOWED, SkipReason.RECEIVER_NOT_ALLOWED),
                    Map.entry(ContractError.STALE_PRICE, SkipReason.STALE_PRICE),
                    Map.entry(ContractError.POSITION_HEALTHY, SkipReason.POSITION_HEALTHY),
                    // AppraisalOracle, reached through the pool's price reads.
                    Map.entry(ContractError.UNKNOWN_FEED, SkipReason.STALE_PRICE),
                    Map.entry(ContractError.NO_PRICE, SkipReason.STALE_PRICE),
                    // PropertyToken, moving the seized collateral.
                    Map.entry(ContractError.TOKEN_PAUSED, SkipReason.COLLATERAL_PAUSED),
                    Map.entry(ContractError.NOT_VERIFIED, SkipReason.RECEIVER_NOT_ALLOWED),
                    Map.entry(ContractError.ACCOUNT_FROZEN, SkipReason.RECEIVER_NOT_ALLOWED),
                    // The loan token (OpenZeppelin 5 ERC-20), pulling the repayment.
                    Map.entry(
                            ContractError.ERC20_INSUFFICIENT_BALANCE,
                            SkipReason.INSUFFICIENT_BALANCE),
                    Map.entry(
                            ContractError.ERC20_INSUFFICIENT_ALLOWANCE,
                            SkipReason.INSUFFICIENT_ALLOWANCE),
                    // The cure window and the Dutch auction: the keeper's calls.
                    Map.entry(ContractError.CURE_WINDOW_OPEN, SkipReason.CURE_WINDOW_OPEN),
                    Map.entry(ContractError.AUCTION_NOT_STALE, SkipReason.AUCTION_RUNNING),
                    Map.entry(ContractError.POSITION_IN_AUCTION, SkipReason.AUCTION_RUNNING),
                    Map.entry(
                            ContractError.PRICE_ABOVE_LIMIT, SkipReason.AUCTION_PRICE_ABOVE_LIMIT),
                    Map.entry(ContractError.TAKER_NOT_ALLOWED, SkipReason.RECEIVER_NOT_ALLOWED));

    private RevertDecoder() {}

    /** The 4-byte selector of an error signature, 0x-hex: the first 4 bytes of its keccak256. */
    public static String selector(String signature) {
        return Hex.of(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)))
                .substring(0, 10);
    }

    /** Every error this decoder names (the generated catalogue), by selector. */
    public static Map<String, String> knownErrors() {
        Map<String, String> names = new LinkedHashMap<>();
        for (ContractError error : ContractError.values()) {
            if (error != ContractError.UNKNOWN) {
                names.put(error.selector(), error.signature());
            }
        }
        return names;
    }

    /** Decodes revert data (0x-hex, possibly just {@code 0x}). */
    public static Decoded decode(String revertData) {
        String data = revertData == null ? "0x" : revertData.strip().toLowerCase(Locale.ROOT);
        if (data.length() < 10) {
            return new Decoded(UNKNOWN, "0x", List.of("(no revert data)"), SkipReason.WOULD_REVERT);
        }
        String selector = data.substring(0, 10);
        ContractError error = ContractError.bySelector(selector);
        if (error == ContractError.UNKNOWN) {
            return new Decoded(UNKNOWN, selector, List.of("data " + data), SkipReason.WOULD_REVERT);
        }
        List<String> text;
        try {
            text =
                    DecodedRevert.arguments(error, data.substring(10)).stream()
                            .map(Objects::toString)
                            .toList();
        } catch (RuntimeException malformed) {
            text = List.of("(malformed arguments 0x" + data.substring(10) + ")");
        }
        return new Decoded(
                error.errorName(),
                selector,
                text,
                SKIP_REASONS.getOrDefault(error, SkipReason.WOULD_REVERT));
    }
}
