package io.eksaccess.console.testsupport;

import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real person's browser: Debian's Chromium, headless, with a fresh profile (no cookies, no
 * cache), driven through Debian's ChromeDriver. Nothing is downloaded: Selenium Manager is never
 * asked, because the binaries are named. A missing Chromium fails loudly with the apt command.
 *
 * <p>Screenshots go to {@code target/screenshots/} (CI keeps them as evidence); {@code .ci/screenshots}
 * runs the journeys with {@code -Dscreenshots.dir=…/frontend/screenshots} to refresh README's images.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("EKS_CONSOLE_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER =
            Path.of(System.getenv().getOrDefault("EKS_CONSOLE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Duration WAIT = Duration.ofSeconds(60); // returns as soon as the page is ready: long only for a machine under load
    static final int WIDTH = 1280;
    static final int HEIGHT = 900;
    /** What the accessibility checks refuse; "moderate" and "minor" findings are reported, not failed. */
    static final Set<String> BLOCKING_IMPACTS = Set.of("serious", "critical");

    private final WebDriver driver;
    private final WebDriverWait wait;

    private Browser(WebDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT);
        // htmx swaps fragments while a condition reads them: an element gone stale is asked again.
        this.wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Starts headless Chromium with a profile of its own. */
    public static Browser start() {
        requireExecutable(CHROMIUM, "chromium");
        requireExecutable(CHROMEDRIVER, "chromium-driver");
        Path profile = TestInfra.freshDir("chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--password-store=basic",
                "--lang=en-US", "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + profile);
        // The page's console (CSP violations, script errors) goes into every failed wait's message.
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(TestInfra.logDir().resolve("chromedriver-" + profile.getFileName() + ".log").toFile())
                .build();
        return new Browser(new ChromeDriver(service, options));
    }

    static void requireExecutable(Path binary, String debianPackage) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Browser tests need Debian's Chromium and ChromeDriver, but " + binary
                    + " is missing. Install them as root: apt-get install chromium chromium-driver"
                    + " (or run .ci/setup, which does). Missing package: " + debianPackage + ".");
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    public String title() {
        return driver.getTitle();
    }

    /** The first element the CSS selector matches, waiting for it to appear. */
    public WebElement find(String css) {
        return await("element '" + css + "'", d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public boolean has(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Waits until the condition gives something other than null or false; fails with what it waited for. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            return wait.until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + " at " + driver.getCurrentUrl()
                    + "\n" + driver.getPageSource() + "\nbrowser console:\n" + consoleLog(), e);
        }
    }

    /** What the page wrote to the browser's console since the last call (errors, CSP violations). */
    public String consoleLog() {
        try {
            return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                    .map(entry -> entry.getLevel() + " " + entry.getMessage()).collect(Collectors.joining("\n"));
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    /** Replaces the field's text as a person typing it would (key events, so htmx triggers fire). */
    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Picks the option with this value in a {@code <select>}, as a person would (a change event fires). */
    public void choose(String css, String value) {
        new org.openqa.selenium.support.ui.Select(find(css)).selectByValue(value);
    }

    /**
     * From now on downloads land in {@code dir} without asking (Chromium's DevTools download
     * behaviour), so a test can click a download link and read the file it saved.
     */
    public void downloadTo(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ((ChromeDriver) driver).executeCdpCommand("Browser.setDownloadBehavior",
                java.util.Map.of("behavior", "allow", "downloadPath", dir.toAbsolutePath().toString()));
    }

    /** Waits for a finished download named {@code fileName} in the {@link #downloadTo} directory. */
    public Path awaitDownload(Path dir, String fileName) {
        Path file = dir.resolve(fileName);
        await("the download " + file, d -> Files.isRegularFile(file)
                && !Files.exists(dir.resolve(fileName + ".crdownload")) ? file : null);
        return file;
    }

    /**
     * Signs in through Dex's own login form (LDAP connector): the console's login page, its
     * sign-in button, Dex's form, back to the console's dashboard.
     */
    public void signInViaDex(String consoleUrl, LdapDirectory.Person person, String password) {
        open(consoleUrl + "/login");
        find("#sign-in").click();
        await("Dex's login form", d -> d.getCurrentUrl().contains("/dex/") && !d.findElements(By.name("login")).isEmpty());
        type("input[name=login]", person.email());
        type("input[name=password]", password);
        find("form button[type=submit]").click();
        await("the console's dashboard after signing in", d -> d.getCurrentUrl().startsWith(consoleUrl)
                && !d.findElements(By.cssSelector("[data-testid=current-user]")).isEmpty());
    }

    /** The layout's sign-out button. */
    public void signOut() {
        find("form[action$='/logout'] button[type=submit]").click();
        await("the login page after signing out", d -> d.getCurrentUrl().contains("/login"));
    }

    /**
     * Saves a PNG of the whole page (the window grows to the page's height for the shot, at most
     * 4,000 px) as {@code <screenshots dir>/<name>.png} and returns its path.
     */
    public Path screenshot(String name) {
        Path dir = screenshotDir();
        Object scrollHeight = ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        int height = Math.min(4000, Math.max(HEIGHT, ((Number) scrollHeight).intValue()));
        driver.manage().window().setSize(new Dimension(WIDTH, height));
        try {
            Path taken = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.createDirectories(dir);
            Path target = dir.resolve(name + ".png");
            Files.copy(taken, target, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(taken);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
        }
    }

    static Path screenshotDir() {
        String configured = System.getProperty("screenshots.dir");
        return configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath()
                : Path.of("target", "screenshots").toAbsolutePath();
    }

    /**
     * Runs axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the current page in this
     * Chromium and returns its violations, each as one readable line per offending element that
     * starts with the impact (minor, moderate, serious, critical).
     */
    public List<String> accessibilityViolations() {
        // Legacy mode: one axe.run in the page. The default runs axe frame by frame, then opens a blank
        // window, injects axe's 560 KB again there and merges: the same rules and results on pages without
        // frames (the console has no <iframe>), at about twice the cost per page.
        AxeBuilder axe = new AxeBuilder();
        // The builder would inject axe-core twice per run (once before checking its version, once before
        // running); injected here instead, once per page load: a page still loaded (e.g. checked again in
        // the other colour scheme) keeps the axe it has.
        String axeScript = axeScript();
        axe.setInjectAxe(page -> {
            JavascriptExecutor js = (JavascriptExecutor) page;
            if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
                js.executeScript(axeScript);
            }
        }, false); // false: the builder itself injects nothing
        // Only violations come back in full: passes, incomplete and inapplicable rules are listed with one
        // node each instead of every element they looked at (a megabyte of JSON per page, read by no one).
        AxeRunOptions options = new AxeRunOptions();
        options.setResultTypes(List.of("violations"));
        Results results = axe
                .setLegacyMode(true)
                .disableIframeTesting()
                .withOptions(options)
                .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"))
                .analyze(driver);
        if (results.isErrored()) {
            throw new AssertionError("axe-core failed on " + driver.getCurrentUrl() + ": " + results.getErrorMessage());
        }
        return results.getViolations().stream().flatMap(Browser::describe).toList();
    }

    private static String axeScript;

    /** axe-core's script as the builder would inject it (read once). */
    private static synchronized String axeScript() {
        if (axeScript == null) {
            try {
                axeScript = new AxeBuilder().getAxeScriptProvider().getScript();
            } catch (javax.naming.OperationNotSupportedException | IOException e) {
                throw new IllegalStateException("axe-core's script could not be read from its jar", e);
            }
        }
        return axeScript;
    }

    /** Whether an {@link #accessibilityViolations()} line is serious or critical. */
    public static boolean isBlocking(String violation) {
        return BLOCKING_IMPACTS.contains(violation.substring(0, violation.indexOf(' ')));
    }

    private static java.util.stream.Stream<String> describe(Rule rule) {
        return rule.getNodes().stream().map(node -> rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp() + ") at "
                + node.getTarget() + ": " + node.getHtml()
                + (node.getFailureSummary() == null ? "" : " — " + node.getFailureSummary().replace('\n', ' ')));
    }

    /** From now on the pages see {@code prefers-color-scheme: dark} (Chromium's media emulation). */
    public void preferDarkColorScheme() {
        preferColorScheme("dark");
    }

    /** From now on the pages see {@code prefers-color-scheme: light}, as a fresh headless Chromium does. */
    public void preferLightColorScheme() {
        preferColorScheme("light");
    }

    /**
     * Switches the emulated scheme and waits until the loaded page has finished restyling: Pico's form
     * controls fade their colours (CSS transitions), and a check in between sees a mix of both schemes.
     * (getAnimations() first applies the pending style change, so it lists the transitions it starts.)
     */
    private void preferColorScheme(String scheme) {
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia",
                java.util.Map.of("features", List.of(java.util.Map.of("name", "prefers-color-scheme", "value", scheme))));
        ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "Promise.allSettled(document.getAnimations().map(a => a.finished)).then(() => done(true));");
    }

    /** Every cookie's name=value, as a Cookie header would carry them (for handing a session to other clients). */
    public String cookieHeader() {
        return driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
