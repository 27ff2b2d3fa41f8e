package io.freehold.node.api.http;

import io.freehold.contracts.local.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through its ChromeDriver (both installed by
 * scripts/ensure-chromium.sh before the tests), with a fresh profile. Closing it quits the browser,
 * stops the driver and ends any process of theirs still running, then deletes the profile.
 *
 * <p>The flags keep Chromium off the network: this machine's network is closed, and without them it
 * hangs on refused connections for updates, sync and the like.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    static HeadlessChromium start() throws IOException {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(
                        p + " is missing: run scripts/ensure-chromium.sh (the build does)");
            }
        }
        Path profile = Files.createTempDirectory("freehold-chromium-");
        ChromeOptions options = new ChromeOptions();
        // Both paths given: Selenium Manager (which would look for or download a browser) stays
        // out.
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox", // the tests run as root
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1600",
                "--user-data-dir=" + profile);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            return new HeadlessChromium(profile, service, driver);
        } catch (RuntimeException | Error e) {
            service.stop();
            Directories.deleteTree(profile);
            throw e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Runs {@code script} in the page and returns what it returns (lists, maps, strings). */
    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Override
    public void close() {
        // Ours only: this JVM's descendants (the driver and the browser it started), listed before
        // they are told to stop, so that one left behind is still found after its parent is gone.
        List<ProcessHandle> ours =
                ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info().command().map(c -> c.contains("chrom")).orElse(false))
                        .toList();
        try {
            driver.quit();
        } finally {
            service.stop();
            for (ProcessHandle p : ours) {
                end(p);
            }
            Directories.deleteTree(profile);
        }
        List<ProcessHandle> left = ours.stream().filter(ProcessHandle::isAlive).toList();
        if (!left.isEmpty()) {
            throw new IllegalStateException("chromium processes left running: " + left);
        }
    }

    private static void end(ProcessHandle p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            p.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(x -> p).join();
        }
    }
}
