package dev.fleetkey.service.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's Chromium driven through the system chromedriver (Debian {@code chromium} and
 * {@code chromium-driver}); Selenium Manager never runs, so nothing is downloaded at test time. Without
 * Chromium the browser tests are skipped with a message, unless {@code FLEETKEY_REQUIRE_BROWSER} is set
 * (as in CI), where a missing browser fails them.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {
    }

    /** Skips (or, when the browser is required, fails) if Chromium or its driver is missing. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (installed) {
            return;
        }
        String message = "Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + ": install them with 'apt-get install -y chromium chromium-driver'";
        if (System.getenv("FLEETKEY_REQUIRE_BROWSER") != null) {
            fail(message + " (FLEETKEY_REQUIRE_BROWSER is set, so they may not be skipped)");
        }
        Assumptions.abort(message + "; skipped because FLEETKEY_REQUIRE_BROWSER is unset");
    }

    static ChromeDriver start() {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "browser-profiles")), "chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1366,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}, a build artifact. */
    static void screenshot(ChromeDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A screenshot at a tablet's size (portrait), then back to the laptop size. */
    static void tabletScreenshot(ChromeDriver driver, String name) {
        Dimension laptop = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(820, 1180));
        screenshot(driver, name);
        driver.manage().window().setSize(laptop);
    }
}
