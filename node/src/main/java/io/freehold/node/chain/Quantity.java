package io.freehold.node.chain;

/**
 * JSON-RPC quantities ({@code "0x1b4"}) as longs. web3j's own getters ({@code Log.getBlockNumber()}
 * and the like) first try the text as a decimal and catch the NumberFormatException, so every hex
 * value costs an exception; over 10,000 logs that took several times longer than fetching them.
 */
final class Quantity {

    private Quantity() {}

    /**
     * @throws NumberFormatException if {@code hex} is not {@code 0x} and 1 to 16 hex digits fitting
     *     a non-negative long
     */
    static long parse(String hex) {
        if (hex == null
                || hex.length() < 3
                || hex.length() > 18
                || hex.charAt(0) != '0'
                || (hex.charAt(1) != 'x' && hex.charAt(1) != 'X')) {
            throw new NumberFormatException("not a JSON-RPC quantity: " + hex);
        }
        long value = Long.parseUnsignedLong(hex, 2, hex.length(), 16);
        if (value < 0) {
            throw new NumberFormatException("quantity too large: " + hex);
        }
        return value;
    }
}
