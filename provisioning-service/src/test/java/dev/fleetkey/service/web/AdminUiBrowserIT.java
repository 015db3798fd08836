package dev.fleetkey.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.TestService;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The admin UI in a real headless Chromium against the service on a real port and H2 file database:
 * an admin provisions, finds, opens and revokes a device and sees the audit entry; an operator is kept
 * out of admin pages; a logged-out visitor is sent to the login page. Screenshots of the main pages go to
 * {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminUiBrowserIT {

    private static final String EUI = "70-B3-D5-FF-FE-12-34-56";
    private static ChromeDriver browser;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        HeadlessChromium.assumeInstalled();
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void adminProvisionsFindsOpensAndRevokesADeviceAndSeesItInTheAuditLog() {
        logIn("admin", TestService.ADMIN_PASSWORD);
        assertThat(text("h1")).isEqualTo("Dashboard");
        HeadlessChromium.screenshot(browser, "01-dashboard-empty");

        open("/devices");
        WebElement form = browser.findElement(By.id("provision-form"));
        form.findElement(By.name("eui64")).sendKeys("70:b3:d5:ff:fe:12:34:56");
        new Select(form.findElement(By.name("template"))).selectByValue("demo-sensor@1");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(By.id("device-eui64"));
        assertThat(text("#device-eui64")).isEqualTo(EUI);
        assertThat(text("#notice")).contains("was provisioned");

        open("/devices");
        WebElement search = browser.findElement(By.id("device-search"));
        search.findElement(By.name("eui64")).sendKeys("70b3d5fffe123456");
        search.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(By.id("device-table"));
        HeadlessChromium.screenshot(browser, "02-devices-search");
        browser.findElement(By.linkText(EUI)).click();
        waitFor(By.id("device-state"));
        assertThat(text("#device-state")).isEqualTo("PROVISIONED");
        HeadlessChromium.screenshot(browser, "03-device");
        assertThat(browser.findElements(By.cssSelector(".secret"))).isEmpty();

        // revealing the PSK takes the password again; no screenshot of it, the key is secret
        WebElement reveal = browser.findElement(By.id("reveal-form"));
        reveal.findElement(By.name("password")).sendKeys(TestService.ADMIN_PASSWORD);
        reveal.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(waitFor(By.cssSelector("#psk-table .secret")).getText()).matches("[0-9a-f]{32}");
        browser.findElement(By.linkText("Back to the device")).click();
        waitFor(By.id("revoke-link"));
        assertThat(text("#history-table")).contains("psk.revealed");

        browser.findElement(By.id("revoke-link")).click();
        WebElement revoke = waitFor(By.id("revoke-form"));
        revoke.findElement(By.name("reason")).sendKeys("returned by customer");
        revoke.findElement(By.name("confirm")).click();
        HeadlessChromium.screenshot(browser, "04-revoke-confirmation");
        revoke.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(By.id("device-state"));
        assertThat(text("#device-state")).isEqualTo("REVOKED");
        assertThat(text("#history-table")).contains("device.revoked").contains("returned by customer");

        open("/audit");
        WebElement filter = browser.findElement(By.id("audit-filter"));
        filter.findElement(By.name("device")).sendKeys(EUI);
        new Select(filter.findElement(By.name("action"))).selectByValue("device.revoked");
        filter.findElement(By.cssSelector("button[type=submit]")).click();
        String log = waitFor(By.id("audit-table")).getText();
        assertThat(log).contains("device.revoked").contains("admin").contains("device:" + EUI);
        browser.findElement(By.id("verify-chain")).click();
        assertThat(waitFor(By.id("chain-result")).getText()).startsWith("The chain is intact");
        HeadlessChromium.screenshot(browser, "05-audit-log");

        open("/");
        HeadlessChromium.screenshot(browser, "06-dashboard");
        HeadlessChromium.tabletScreenshot(browser, "07-dashboard-tablet");
        open("/templates");
        HeadlessChromium.screenshot(browser, "08-templates");
        open("/templates/editor?from=demo-sensor@1");
        browser.findElement(By.cssSelector("button[value=validate]")).click();
        assertThat(waitFor(By.id("template-error")).getText()).contains("version");
        HeadlessChromium.screenshot(browser, "09-template-editor-error");
        open("/cas");
        HeadlessChromium.screenshot(browser, "10-cas");
        open("/bundles");
        HeadlessChromium.screenshot(browser, "11-bundles");
        open("/stations");
        HeadlessChromium.screenshot(browser, "12-stations");
        open("/users");
        HeadlessChromium.screenshot(browser, "13-users");
        logOut();
    }

    @Test
    void adminRotatesADeviceWithAnOverlapAndCreatesAStationWhoseTokenIsShownOnce() {
        logIn("admin", TestService.ADMIN_PASSWORD);
        open("/devices");
        WebElement form = browser.findElement(By.id("provision-form"));
        form.findElement(By.name("eui64")).sendKeys("70-B3-D5-FF-FE-12-34-99");
        new Select(form.findElement(By.name("template"))).selectByValue("demo-x509@1");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(By.id("rotate-form"));
        assertThat(text("#credential-table")).contains("CN=").contains("X509");
        WebElement rotate = browser.findElement(By.id("rotate-form"));
        WebElement overlap = rotate.findElement(By.name("overlapDays"));
        assertThat(overlap.getAttribute("value")).isEqualTo("7");
        overlap.clear();
        overlap.sendKeys("2");
        rotate.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(waitFor(By.id("notice")).getText()).contains("has new credentials").contains("2 more days");
        assertThat(browser.findElements(By.cssSelector("#credential-table tbody tr"))).hasSize(2);
        assertThat(text("#history-table")).contains("device.rotated");
        HeadlessChromium.screenshot(browser, "15-device-rotated");

        open("/stations");
        WebElement station = browser.findElement(By.id("new-station"));
        station.findElement(By.name("name")).sendKeys("browser-line-1");
        station.findElement(By.cssSelector("input[name=allowedTemplates][value=demo-sensor]")).click();
        WebElement quota = station.findElement(By.name("quotaPerMinute"));
        quota.clear();
        quota.sendKeys("90");
        station.findElement(By.cssSelector("button[type=submit]")).click();
        String token = waitFor(By.id("station-token")).getText();
        assertThat(token).isNotBlank();
        browser.findElement(By.linkText("Back to stations")).click();
        String table = waitFor(By.id("station-table")).getText();
        assertThat(table).contains("browser-line-1").doesNotContain(token);
        assertThat(browser.getPageSource()).doesNotContain(token);
        HeadlessChromium.screenshot(browser, "16-stations-listed");
        logOut();
    }

    @Test
    void operatorIsKeptOutOfAdminPages() {
        logIn("admin", TestService.ADMIN_PASSWORD);
        open("/users");
        WebElement form = browser.findElement(By.id("new-user"));
        form.findElement(By.name("username")).sendKeys("olga");
        form.findElement(By.name("password")).sendKeys("olga-password-12");
        new Select(form.findElement(By.name("role"))).selectByValue("OPERATOR");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(waitFor(By.id("notice")).getText()).contains("User olga was created");
        logOut();

        logIn("olga", "olga-password-12");
        assertThat(browser.findElements(By.linkText("Users"))).isEmpty();
        for (String page : new String[] {"/users", "/cas", "/stations", "/audit"}) {
            open(page);
            assertThat(text("h1")).as(page).isEqualTo("Not allowed");
            assertThat(text("#error-message")).contains("may not open this page");
        }
        HeadlessChromium.screenshot(browser, "14-forbidden");
        open("/devices");
        assertThat(browser.findElements(By.id("provision-form"))).hasSize(1);
        logOut();
    }

    @Test
    void theTemplateEditorShowsWhatTheJsonSchemaRefusesWithFieldAndLineAndSavesNothing() {
        logIn("admin", TestService.ADMIN_PASSWORD);
        open("/templates/editor");
        WebElement yaml = browser.findElement(By.name("yaml"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", yaml, """
                id: schema-check
                version: 1
                servers:
                  - name: coap
                    uri: coaps://localhost:5684
                    mode: pki
                """);
        browser.findElement(By.cssSelector("button[value=save]")).click();

        WebElement problem = waitFor(By.cssSelector("#schema-problems li.schema-problem"));
        assertThat(problem.getAttribute("data-field")).isEqualTo("servers[0].mode");
        assertThat(problem.getAttribute("data-line")).isEqualTo("6");
        assertThat(problem.getText()).startsWith("servers[0].mode (line 6):");
        assertThat(text("#template-error")).contains("servers[0].mode");
        HeadlessChromium.screenshot(browser, "09b-template-editor-schema");
        open("/templates");
        assertThat(text("main")).doesNotContain("schema-check");
    }

    @Test
    void loggedOutVisitorIsSentToTheLoginPage() {
        browser.manage().deleteAllCookies();
        open("/devices");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        assertThat(text("h1")).isEqualTo("Log in");
        HeadlessChromium.screenshot(browser, "00-login");
        open("/no-such-page");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
    }

    private void logIn(String user, String password) {
        browser.manage().deleteAllCookies();
        open("/login");
        browser.findElement(By.name("username")).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        waitFor(By.id("current-user"));
        assertThat(text("#current-user")).isEqualTo(user);
    }

    private void logOut() {
        browser.findElement(By.cssSelector("form.logout button")).click();
        waitFor(By.cssSelector("p.info"));
    }

    private void open(String path) {
        browser.get("http://localhost:" + port + path);
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static WebElement waitFor(By by) {
        // the element may belong to the page a click is leaving: Chrome then reports it as detached, and the next poll
        // finds it on the new page
        return new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(WebDriverException.class)
                .until(ExpectedConditions.visibilityOfElementLocated(by));
    }
}
