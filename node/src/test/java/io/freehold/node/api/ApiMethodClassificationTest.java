package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.File;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Finding 9: the admin list fails closed. Every method of every {@code freehold.v1} service — found
 * on the classpath, so a new service or method shows up here without anyone listing it — has the
 * role this table says, and a method that is not in the table fails the test until someone decides
 * whether it changes state.
 */
class ApiMethodClassificationTest {

    /** The decision for each method: true when it changes something (admin only). */
    private static final Map<String, Boolean> CHANGES_STATE =
            Map.ofEntries(
                    Map.entry("freehold.v1.NodeService/GetStatus", false),
                    Map.entry("freehold.v1.MarketService/ListMarkets", false),
                    Map.entry("freehold.v1.MarketService/GetMarket", false),
                    Map.entry("freehold.v1.PositionService/GetPosition", false),
                    Map.entry("freehold.v1.PositionService/ListPositions", false),
                    Map.entry("freehold.v1.PositionService/WatchPositions", false),
                    Map.entry("freehold.v1.LiquidationService/WatchOpportunities", false),
                    Map.entry("freehold.v1.LiquidationService/ListLiquidations", false),
                    Map.entry("freehold.v1.LiquidationService/ListAttempts", false),
                    Map.entry("freehold.v1.LiquidationService/RequestLiquidation", true),
                    Map.entry("freehold.v1.SimulationService/Simulate", false));

    @Test
    void everyMethodOfEveryServiceHasItsDecidedRole() throws Exception {
        Set<String> methods = freeholdMethods();
        assertThat(methods)
                .as("services found on the classpath")
                .hasSizeGreaterThanOrEqualTo(CHANGES_STATE.size());
        Map<String, ApiToken.Role> actual = new TreeMap<>();
        Map<String, ApiToken.Role> expected = new TreeMap<>();
        for (String method : methods) {
            assertThat(CHANGES_STATE)
                    .as(
                            "nobody decided whether %s changes state: add it to this table and, if it"
                                    + " only reads, to ApiGuard.READ_ONLY_METHODS",
                            method)
                    .containsKey(method);
            actual.put(method, ApiGuard.requiredRole(method));
            expected.put(
                    method, CHANGES_STATE.get(method) ? ApiToken.Role.ADMIN : ApiToken.Role.READ);
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(methods)
                .as("read-only methods that no longer exist")
                .containsAll(ApiGuard.READ_ONLY_METHODS);
    }

    @Test
    void anUnclassifiedMethodNeedsAnAdminTokenAndTheOpenServicesNone() {
        assertThat(ApiGuard.requiredRole("freehold.v1.PositionService/DeletePosition"))
                .isEqualTo(ApiToken.Role.ADMIN);
        assertThat(ApiGuard.requiredRole("freehold.v2.NewService/Anything"))
                .isEqualTo(ApiToken.Role.ADMIN);
        assertThat(ApiGuard.requiredRole("grpc.health.v1.Health/Check")).isNull();
        assertThat(
                        ApiGuard.requiredRole(
                                "grpc.reflection.v1.ServerReflection/ServerReflectionInfo"))
                .isNull();
    }

    @Test
    void tokensWithoutTlsAreWarnedAbout() {
        assertThat(ApiGuard.plaintextWarning(true, false))
                .hasValueSatisfying(w -> assertThat(w).contains("TLS"));
        assertThat(ApiGuard.plaintextWarning(true, true)).isEmpty();
        assertThat(ApiGuard.plaintextWarning(false, false)).isEmpty();
    }

    /** Every method of every generated {@code *Grpc} class in the proto package. */
    private static Set<String> freeholdMethods() throws Exception {
        String pkg = "io/freehold/proto/v1";
        Set<String> classes = new TreeSet<>();
        Enumeration<URL> roots =
                ApiMethodClassificationTest.class.getClassLoader().getResources(pkg);
        while (roots.hasMoreElements()) {
            URL root = roots.nextElement();
            if (root.getProtocol().equals("jar")) {
                try (JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile()) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.startsWith(pkg + "/")
                                && name.endsWith("Grpc.class")
                                && name.indexOf('/', pkg.length() + 1) < 0) {
                            classes.add(name.substring(pkg.length() + 1, name.length() - 6));
                        }
                    }
                }
            } else {
                String[] names = new File(root.toURI()).list((dir, n) -> n.endsWith("Grpc.class"));
                for (String n : names == null ? new String[0] : names) {
                    classes.add(n.substring(0, n.length() - 6));
                }
            }
        }
        Set<String> methods = new TreeSet<>();
        for (String simple : classes) {
            Class<?> grpc = Class.forName("io.freehold.proto.v1." + simple);
            ServiceDescriptor service =
                    (ServiceDescriptor) grpc.getMethod("getServiceDescriptor").invoke(null);
            for (MethodDescriptor<?, ?> m : service.getMethods()) {
                methods.add(m.getFullMethodName());
            }
        }
        return methods;
    }
}
