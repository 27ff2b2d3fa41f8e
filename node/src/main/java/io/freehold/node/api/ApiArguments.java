package io.freehold.node.api;

import io.freehold.types.Address;
import io.freehold.types.Hex;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * Parses what requests carry as strings into the node's value types, at the edge, so nothing
 * malformed reaches a service. Every refusal is INVALID_ARGUMENT with the reason and the field.
 *
 * <p>Addresses: {@code 0x} + 40 hex digits; all-lowercase or all-uppercase digits are taken as they
 * are, mixed case must be the EIP-55 checksum (a mistyped address in mixed case is caught, as
 * wallets do). Amounts: decimal digits only (no sign, no exponent, no separators), at most 2^256 −
 * 1.
 */
public final class ApiArguments {

    static final BigInteger UINT256_MAX = Uint256.MAX;
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1_000;
    private static final int MAX_AMOUNT_DIGITS = 78; // 2^256 - 1 has 78 digits

    private ApiArguments() {}

    public static Address address(String field, String value) {
        String v = required(field, value, "INVALID_ADDRESS");
        try {
            return Address.fromHex(v);
        } catch (Address.ChecksumMismatchException e) {
            throw ApiException.invalid(
                            "INVALID_ADDRESS",
                            field,
                            field
                                    + " fails its EIP-55 checksum (mixed case must be exact); check for a typo")
                    .with("value", v)
                    .with("expected", e.expected());
        } catch (Hex.InvalidHexException e) {
            if (e.index() >= 0) {
                throw ApiException.invalid(
                                "INVALID_ADDRESS",
                                field,
                                field + " has a character that is not hex")
                        .with("value", quote(v))
                        .with("index", Integer.toString(e.index()));
            }
            throw ApiException.invalid(
                            "INVALID_ADDRESS",
                            field,
                            field + " must be 0x followed by 40 hex digits")
                    .with("value", quote(v));
        }
    }

    public static MarketId marketId(String field, String value) {
        String v = required(field, value, "INVALID_MARKET_ID");
        try {
            return MarketId.of(v);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                            "INVALID_MARKET_ID",
                            field,
                            field + " must be 0x followed by 64 hex digits")
                    .with("value", quote(v));
        }
    }

    /** A uint256 amount in base units. */
    public static BigInteger amount(String field, String value) {
        return uint(field, value, "INVALID_AMOUNT");
    }

    /** A WAD ratio (1e18 = 1.0), as a uint256. */
    public static BigInteger ratio(String field, String value) {
        return uint(field, value, "INVALID_RATIO");
    }

    /** Empty means "not set": null. */
    public static Address optionalAddress(String field, String value) {
        return value == null || value.isEmpty() ? null : address(field, value);
    }

    public static MarketId optionalMarketId(String field, String value) {
        return value == null || value.isEmpty() ? null : marketId(field, value);
    }

    public static BigInteger optionalRatio(String field, String value) {
        return value == null || value.isEmpty() ? null : ratio(field, value);
    }

    /** A page size: 0 means the default (100); otherwise 1..1000. */
    public static int pageSize(int requested) {
        int size = requested == 0 ? DEFAULT_PAGE : requested;
        if (size < 1 || size > MAX_PAGE) {
            throw ApiException.invalid(
                    "INVALID_PAGE", "page_size", "page_size must be 1.." + MAX_PAGE);
        }
        return size;
    }

    private static BigInteger uint(String field, String value, String reason) {
        String v = required(field, value, reason);
        if (v.startsWith("-")) {
            throw ApiException.invalid(reason, field, field + " must not be negative")
                    .with("value", quote(v));
        }
        if (v.length() > MAX_AMOUNT_DIGITS + 1) {
            throw ApiException.invalid(reason, field, field + " is above 2^256 - 1")
                    .with("digits", Integer.toString(v.length()));
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw ApiException.invalid(
                                reason,
                                field,
                                field
                                        + " must be a decimal integer of base units"
                                        + " (digits only, no sign, point or exponent)")
                        .with("value", quote(v));
            }
        }
        BigInteger n = new BigInteger(v);
        if (n.compareTo(UINT256_MAX) > 0) {
            throw ApiException.invalid(reason, field, field + " is above 2^256 - 1")
                    .with("value", quote(v));
        }
        return n;
    }

    private static String required(String field, String value, String reason) {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid("MISSING_FIELD", field, field + " is required");
        }
        return value;
    }

    /** The value for a message, cut so a huge malformed input does not become a huge error. */
    private static String quote(String v) {
        return "\"" + (v.length() > 80 ? v.substring(0, 77) + "..." : v) + "\"";
    }
}
