package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium through the system chromedriver (Selenium Manager's download is
 * never used), with a fresh profile, and a record of every request the browser sends (Chrome's DevTools network
 * log) so that a test can assert that none left the server's origin.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/browser-screenshots");

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final Path profile;
    private final List<String> requested = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    /** Fails (never skips) when the browser is missing: these tests are part of the suite's proof. */
    static Browser start() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: the browser tests need Debian's chromium and "
                        + "chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs them)");
            }
        }
        try {
            Path profile = Files.createTempDirectory("rerank4j-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            // Without the background-networking flags Chromium dials Google's services, which a closed network
            // refuses; they would also count as requests leaving the origin.
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile, "--window-size=1280,1000");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Navigates, and starts the record of requests afresh (Chromium's own start page is no test's). */
    void open(URI url) {
        requestedUrls();
        requested.clear();
        driver.get(url.toString());
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        if (!text.isEmpty()) {
            // sendKeys of a long text is slow and turns newlines into Enter presses; set the value instead.
            driver.executeScript("arguments[0].value = arguments[1];", e, text);
        }
    }

    String textOf(String css) {
        return find(css).getText();
    }

    /** Waits until the element's text is not empty and not {@code unlike}, and returns it. */
    String awaitText(String css, String unlike) {
        wait.until(d -> {
            String t = d.findElement(By.cssSelector(css)).getText();
            return !t.isEmpty() && !t.equals(unlike);
        });
        return textOf(css);
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** A screenshot of the window, scrolled so that the element {@code css} is at its top. */
    Path screenshot(String name, String css) {
        script("arguments[0].scrollIntoView();", find(css));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path to = SCREENSHOTS.resolve(name + ".png");
            Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every URL the browser has requested since it started (navigations, fetches, scripts, images...). */
    List<String> requestedUrls() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = read(entry.getMessage()).path("message");
            if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                requested.add(message.at("/params/request/url").asText());
            }
        }
        return List.copyOf(requested);
    }

    /** The console's messages (errors included: a blocked request or a Content-Security-Policy violation). */
    List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    /** Asserts that every request went to {@code origin} (or was inline data) and returns how many there were. */
    int assertAllRequestsWentTo(URI origin) {
        String prefix = origin.toString().replaceAll("/$", "") + "/";
        List<String> urls = requestedUrls();
        assertThat(urls).isNotEmpty().allSatisfy(u -> assertThat(u.startsWith(prefix) || u.startsWith("data:"))
                .as("request to %s from a page of %s", u, origin).isTrue());
        Object resources = script("return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat((List<?>) resources).allSatisfy(u -> assertThat(u.toString()).startsWith(prefix));
        assertThat(consoleMessages()).noneSatisfy(m -> assertThat(m).containsIgnoringCase("Content Security Policy"));
        return urls.size();
    }

    private static JsonNode read(String json) {
        try {
            return TestServer.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
