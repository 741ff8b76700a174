package dev.orders.support;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver), started with the flags this machine needs:
 * no background networking, since the machine has no network beyond loopback.
 */
public final class Browser {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private Browser() {
    }

    public static ChromeDriver start() {
        try {
            ChromeOptions options = new ChromeOptions()
                    .setBinary(CHROMIUM)
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--no-first-run", "--disable-default-apps", "--lang=en-US",
                            "--user-data-dir=" + Files.createTempDirectory("orders-chromium"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lays the page out as a screen {@code width} CSS pixels wide, as a phone or a desktop would. */
    public static void emulateWidth(ChromeDriver driver, int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 500));
    }

    /** Saves the whole page as it looks at the given width, under target/screenshots. */
    public static Path screenshot(ChromeDriver driver, String name, int width) {
        emulateWidth(driver, width, 900);
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
        emulateWidth(driver, width, (int) Math.min(Math.max(height, 600), 6000));
        try {
            Path target = Path.of("target", "screenshots", name + "-" + width + ".png");
            Files.createDirectories(target.getParent());
            Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
