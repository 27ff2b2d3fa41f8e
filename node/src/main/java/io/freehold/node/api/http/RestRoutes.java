package io.freehold.node.api.http;

import com.google.rpc.Code;
import io.freehold.node.api.ApiException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;

/**
 * A path the HTTP server does not serve gets the API's error shape too (NOT_FOUND, UNKNOWN_ROUTE),
 * so a client parsing {@code /v1/...} refusals never meets a second format.
 */
@Controller
final class RestRoutes {

    private final RestAnswers answers;

    RestRoutes(RestAnswers answers) {
        this.answers = answers;
    }

    /**
     * The OpenAPI 3 description of /v1 (hand-written; OpenApiContractTest checks it against the
     * node). Open, as docs are.
     */
    @Get(uri = "/v1/openapi.yaml", produces = "application/yaml")
    HttpResponse<String> openApi() throws java.io.IOException {
        try (var in = RestRoutes.class.getResourceAsStream("/openapi/freehold-v1.yaml")) {
            return HttpResponse.ok(
                            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contentType("application/yaml");
        }
    }

    /** The operator's dashboard (static files under public/dashboard, served at /dashboard/...). */
    @Get("/dashboard")
    HttpResponse<?> dashboard() {
        return HttpResponse.redirect(java.net.URI.create("/dashboard/index.html"));
    }

    @Error(status = HttpStatus.NOT_FOUND, global = true)
    @SuppressWarnings("unchecked")
    HttpResponse<String> notFound(HttpRequest<?> request) {
        var refusal = request.getAttribute(RestAnswers.REFUSAL, HttpResponse.class);
        if (refusal.isPresent()) {
            return refusal
                    .get(); // a route's own NOT_FOUND (UNKNOWN_MARKET, ...), not a missing route
        }
        return answers.error(
                new ApiException(
                        Code.NOT_FOUND,
                        "UNKNOWN_ROUTE",
                        "path",
                        "the node serves no such path; the REST API is under /v1 (see /v1/openapi.yaml)"));
    }
}
