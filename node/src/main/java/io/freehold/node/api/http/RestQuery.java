package io.freehold.node.api.http;

import io.freehold.node.api.ApiException;
import io.micronaut.http.HttpRequest;
import java.util.List;
import java.util.Set;

/**
 * A REST call's query parameters, checked at the edge: a parameter the route does not take is
 * refused (UNKNOWN_PARAMETER: a typo in a filter must not silently widen the answer), as is one
 * given twice; {@code page_size} must be an integer (INVALID_PAGE). Values are then parsed by the
 * same {@code ApiArguments} as gRPC's, through the request message.
 */
public final class RestQuery {

    private final HttpRequest<?> request;

    private RestQuery(HttpRequest<?> request) {
        this.request = request;
    }

    public static RestQuery of(HttpRequest<?> request, Set<String> allowed) {
        for (String name : request.getParameters().names()) {
            if (!allowed.contains(name)) {
                throw ApiException.invalid(
                                "UNKNOWN_PARAMETER",
                                name,
                                "this route takes no such query parameter")
                        .with("allowed", String.join(",", allowed.stream().sorted().toList()));
            }
            List<String> values = request.getParameters().getAll(name);
            if (values.size() > 1) {
                throw ApiException.invalid(
                        "CONFLICTING_PARAMETERS", name, "a query parameter is given twice");
            }
        }
        return new RestQuery(request);
    }

    /** The value, or "" when absent (proto3's "not set"). */
    public String string(String name) {
        String v = request.getParameters().get(name);
        return v == null ? "" : v;
    }

    boolean has(String name) {
        return request.getParameters().contains(name);
    }

    /** 0 when absent (the default page); otherwise the integer, range-checked by ApiArguments. */
    public int pageSize() {
        String v = string("page_size");
        if (v.isEmpty()) {
            return 0;
        }
        if (!v.matches("[0-9]{1,9}")) { // digits only: no sign, spaces or exponent
            throw ApiException.invalid(
                            "INVALID_PAGE", "page_size", "page_size must be an integer 1..1000")
                    .with("value", v.length() > 40 ? v.substring(0, 37) + "..." : v);
        }
        int n = Integer.parseInt(v);
        return n == 0 ? -1 : n; // an explicit 0 is out of range, not "the default"
    }
}
