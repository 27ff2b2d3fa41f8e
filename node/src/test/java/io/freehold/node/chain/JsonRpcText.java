package io.freehold.node.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link FaultInjectingProxy} needs to know about a JSON-RPC request, read with regular
 * expressions from web3j's compact JSON (the JDK has no JSON parser): the methods, the ids, the
 * block numbers asked for. Batches are arrays of the same objects, so "all matches" covers them.
 */
final class JsonRpcText {

    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern FROM_BLOCK =
            Pattern.compile("\"fromBlock\"\\s*:\\s*\"0x([0-9a-fA-F]+)\"");
    private static final Pattern TO_BLOCK =
            Pattern.compile("\"toBlock\"\\s*:\\s*\"0x([0-9a-fA-F]+)\"");
    private static final Pattern BLOCK_PARAM =
            Pattern.compile("\"params\"\\s*:\\s*\\[\\s*\"0x([0-9a-fA-F]+)\"");

    private JsonRpcText() {}

    /** The method of each call, in order. */
    static List<String> methods(String body) {
        return all(METHOD, body);
    }

    /** The id of the first call, or {@code null}. */
    static String firstId(String body) {
        List<String> ids = all(ID, body);
        return ids.isEmpty() ? "null" : ids.get(0);
    }

    /**
     * The block numbers a call of {@code method} asks about: toBlock of eth_getLogs, the block of
     * eth_getBlockByNumber.
     */
    static List<Long> blocksAsked(String method, String body) {
        List<String> hex =
                switch (method) {
                    case "eth_getLogs" -> all(TO_BLOCK, body);
                    case "eth_getBlockByNumber" -> all(BLOCK_PARAM, body);
                    default -> List.of();
                };
        return hex.stream().map(h -> Long.parseLong(h, 16)).toList();
    }

    /** The width in blocks of an eth_getLogs request, or Long.MAX_VALUE if it is open-ended. */
    static long logRangeWidth(String body) {
        List<String> from = all(FROM_BLOCK, body);
        List<String> to = all(TO_BLOCK, body);
        if (from.isEmpty() || to.isEmpty()) {
            return Long.MAX_VALUE; // "latest" or missing
        }
        return Long.parseLong(to.get(0), 16) - Long.parseLong(from.get(0), 16) + 1;
    }

    /**
     * A JSON-RPC error for each call in {@code body}: an array for a batch, an object otherwise.
     */
    static String errors(String body, int code, String message) {
        List<String> ids = all(ID, body);
        List<String> answers = new ArrayList<>();
        for (String id : ids.isEmpty() ? List.of("null") : ids) {
            answers.add(
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                            + id
                            + ",\"error\":{\"code\":"
                            + code
                            + ",\"message\":\""
                            + message
                            + "\"}}");
        }
        return body.stripLeading().startsWith("[")
                ? "[" + String.join(",", answers) + "]"
                : answers.get(0);
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
