package io.freehold.node.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.liquidation.LiquidationChain;
import io.freehold.types.Address;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's dashboard in a real browser (headless Chromium) against a real node liquidating on
 * anvil: the page, opened before anything happens and never reloaded, shows an appraisal's fall in
 * its market, the positions the fall made liquidatable (from the live event stream: nothing else
 * draws that table), and then, as blocks are mined, the node's liquidations and its mined attempts,
 * with the closed position gone from the positions at risk. Its market filter (applied by the node)
 * then narrows the page to another market and back.
 *
 * <p>The node has a read token configured, which the page is given the way a person would: typed
 * into it.
 *
 * <p>The chain mines only when told to after the fall, so the page is seen in each state (the
 * liquidatable positions before any liquidation can be mined), not caught in passing.
 */
class DashboardBrowserTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final String TOKEN = "dashboard-reader-secret-0123456789";

    // Columns of the page's tables (index.html).
    private static final int MARKET_APPRAISAL = 2, MARKET_LIQUIDATABLE = 7;
    private static final int RISK_BAND = 6, RISK_BLOCK = 7;
    private static final int LIQUIDATION_BLOCK = 0;
    private static final int ATTEMPT_STATUS = 3;

    @TempDir Path dir;

    private LiquidationChain chain;
    private EmbeddedServer node;
    private HeadlessChromium browser;

    /** One row of a table on the page: its data-key (an account, a market id) and its cells. */
    record Row(String key, List<String> cells) {
        String cell(int i) {
            return cells.get(i);
        }

        boolean is(Address account) {
            return key.equalsIgnoreCase(account.hex());
        }
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (node != null) {
                    node.getApplicationContext().close();
                }
            } finally {
                if (chain != null) {
                    chain.close();
                }
            }
        }
    }

    @Test
    void afterAnAppraisalFallsThePageShowsTheLiquidatablePositionsThenTheLiquidationsWithoutReload()
            throws Exception {
        chain = LiquidationChain.start();
        Map<String, Object> settings = chain.executingNode(dir);
        settings.put("freehold.node.api.tokens.operator", "read:" + TOKEN);
        node = ApplicationContext.run(EmbeddedServer.class, settings);
        browser = HeadlessChromium.start();

        // The port the kernel gave the node's HTTP server (micronaut.server.port=-1).
        browser.driver().get("http://127.0.0.1:" + node.getPort() + "/dashboard");
        // Behind the API's tokens: without one the page gets nothing but the refusal.
        waitFor(
                "the page shows the node's refusal",
                () -> text("#problem").startsWith("UNAUTHENTICATED"));
        assertThat(rows("#markets")).isEmpty();
        browser.driver().findElement(By.id("token")).sendKeys(TOKEN);
        browser.driver().findElement(By.cssSelector("#auth button")).click();
        waitFor(
                "the page drew its snapshot of the positions at risk and the markets",
                () ->
                        text("#live").equals("(live)")
                                && rows("#markets").size() == chain.deployment.markets().size());
        assertThat(rows("#risk"))
                .noneMatch(r -> r.is(chain.borrower) || r.is(chain.secondBorrower));
        assertThat(rows("#liquidations")).isEmpty();
        assertThat(rows("#attempts")).isEmpty();
        // A page that reloads itself would lose this.
        browser.script("window.freeholdTestPage = 'never reloaded'");

        // The fall, in a block of its own; nothing is mined after it until the page has shown it.
        chain.automine(false);
        long fall = chain.crashPriceMinedByHand();
        String fallenPrice =
                String.format(
                        Locale.US, "%,d", LocalSystem.priceOfCents(LiquidationChain.CRASH_CENTS));
        waitFor(
                "the page shows the fall in its market and both positions it made liquidatable",
                () -> {
                    List<Row> risk = rows("#risk");
                    Predicate<Address> liquidatable =
                            who ->
                                    risk.stream()
                                            .anyMatch(
                                                    r ->
                                                            r.is(who)
                                                                    && r.cell(RISK_BAND)
                                                                            .equals("LIQUIDATABLE")
                                                                    && Long.parseLong(
                                                                                    r.cell(
                                                                                            RISK_BLOCK))
                                                                            >= fall);
                    Row market = market();
                    return liquidatable.test(chain.borrower)
                            && liquidatable.test(chain.secondBorrower)
                            && market.cell(MARKET_APPRAISAL).equals(fallenPrice)
                            && market.cell(MARKET_LIQUIDATABLE).equals("2");
                });
        // No block since the fall: the node's liquidations can only be on their way.
        assertThat(chain.head()).isEqualTo(fall);
        assertThat(rows("#liquidations")).isEmpty();

        // Blocks again, one each time the page is looked at: the liquidations are mined and then
        // final (the node's 4 confirmations), and the page follows.
        waitFor(
                "the page shows both liquidations, both attempts mined, the closed position gone",
                () -> {
                    chain.mine();
                    List<Row> liquidations = rows("#liquidations");
                    List<Row> attempts = rows("#attempts");
                    Predicate<Address> liquidated =
                            who ->
                                    liquidations.stream()
                                            .anyMatch(
                                                    r ->
                                                            r.is(who)
                                                                    && Long.parseLong(
                                                                                    r.cell(
                                                                                            LIQUIDATION_BLOCK))
                                                                            > fall);
                    Predicate<Address> mined =
                            who ->
                                    attempts.stream()
                                            .anyMatch(
                                                    r ->
                                                            r.is(who)
                                                                    && r.cell(ATTEMPT_STATUS)
                                                                            .equals("MINED"));
                    return liquidated.test(chain.borrower)
                            && liquidated.test(chain.secondBorrower)
                            && mined.test(chain.borrower)
                            && mined.test(chain.secondBorrower)
                            && rows("#risk").stream().noneMatch(r -> r.is(chain.borrower));
                });

        // The market filter, applied by the node: another market has no liquidations and none of
        // these positions; back on the fall's market, both liquidations again.
        String other =
                chain.deployment.markets().values().stream()
                        .map(m -> m.id())
                        .filter(id -> !id.equalsIgnoreCase(chain.market.hex()))
                        .findFirst()
                        .orElseThrow();
        choose(other);
        waitFor(
                "the page shows only the other market",
                () ->
                        rows("#liquidations").isEmpty()
                                && rows("#attempts").isEmpty()
                                && rows("#risk").stream()
                                        .noneMatch(r -> r.is(chain.secondBorrower)));
        choose(chain.market.hex());
        waitFor("the page shows the fall's market again", () -> rows("#liquidations").size() == 2);

        assertThat(browser.script("return window.freeholdTestPage")).isEqualTo("never reloaded");
        assertThat(text("#live")).isEqualTo("(live)");
        assertThat(text("#problem")).as("an error the page showed").isEmpty();
    }

    /** The market the fall happened in, as the page's markets table shows it. */
    private Row market() {
        return rows("#markets").stream()
                .filter(r -> r.key().equalsIgnoreCase(chain.market.hex()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for market " + chain.market.hex()));
    }

    /** Chooses a market in the page's filter, as a person would. */
    private void choose(String marketId) {
        waitFor(
                "the filter offers " + marketId,
                () -> {
                    try {
                        new Select(browser.driver().findElement(By.id("market")))
                                .selectByValue(marketId);
                        return true;
                    } catch (StaleElementReferenceException | NoSuchElementException e) {
                        return false; // the options were being redrawn
                    }
                });
    }

    private String text(String selector) {
        return (String)
                browser.script("return document.querySelector(arguments[0]).textContent", selector);
    }

    /** The rows of a table in one look (the page redraws tables while they are read). */
    @SuppressWarnings("unchecked")
    private List<Row> rows(String table) {
        List<Map<String, Object>> rows =
                (List<Map<String, Object>>)
                        browser.script(
                                "return [...document.querySelectorAll(arguments[0] + ' tbody tr')]"
                                        + ".map(r => ({key: r.dataset.key || '',"
                                        + " cells: [...r.cells].map(c => c.textContent)}))",
                                table);
        return rows.stream()
                .map(r -> new Row((String) r.get("key"), (List<String>) r.get("cells")))
                .toList();
    }

    /** A page condition that may throw (a chain call): checked until it holds or the deadline. */
    interface Check {
        boolean holds() throws Exception;
    }

    private void waitFor(String what, Check check) {
        new WebDriverWait(browser.driver(), DEADLINE, Duration.ofMillis(200))
                .withMessage(what)
                .until(
                        driver -> {
                            try {
                                return check.holds();
                            } catch (RuntimeException e) {
                                throw e;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
    }
}
