package io.freehold.node.liquidation.transact;

import io.freehold.contracts.local.Directories;
import io.freehold.node.liquidation.LiquidationChain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The liquidation tests' chain fixture as one JUnit 5 extension: one anvil with the Freehold system
 * deployed per test class ({@link LiquidationChain}), set back to its snapshot before each test,
 * and a fresh {@link ExecutorHarness} (database in a temporary folder, clock, metrics) per test,
 * closed after it with mining switched back on.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final LiquidationFixture fixture = new LiquidationFixture();
 * private final LiquidationChain chain = fixture.chain();
 * ... fixture.harness() in a test or a &#64;BeforeEach
 * </pre>
 */
public final class LiquidationFixture
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private LiquidationChain chain;
    private ExecutorHarness harness;
    private Path dir;

    /** The class's chain; available from the test instance's construction on. */
    public LiquidationChain chain() {
        if (chain == null) {
            throw new IllegalStateException(
                    "the fixture is registered with @RegisterExtension on a static field");
        }
        return chain;
    }

    /** This test's harness; available from {@code @BeforeEach} on. */
    public ExecutorHarness harness() {
        if (harness == null) {
            throw new IllegalStateException("no test is running");
        }
        return harness;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        chain = LiquidationChain.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        chain.reset();
        dir = Files.createTempDirectory("freehold-liquidation-");
        harness = new ExecutorHarness(chain, dir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            chain.automine(true);
        } finally {
            if (harness != null) {
                harness.close();
                harness = null;
            }
            Directories.deleteTree(dir);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (chain != null) {
            chain.close();
            chain = null;
        }
    }
}
