package dev.orders.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orders.support.Browser;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The web page in a real headless Chromium, against the whole service with real PostgreSQL and nats-server. */
class WebPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT_NAME = "<script>window.__xss = 1</script>";
    private static final String IMG_ADDRESS = "<img src=x onerror=\"window.__xss = 2\">";
    private static final String QUOTED_ITEM = "\"quoted\" 'single' & <b>bold</b>";

    private static TestNats nats;
    private static TestDatabase database;
    private static RunningService service;
    private static ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    static void start() {
        nats = TestNats.start();
        database = TestPostgres.shared().newDatabase();
        service = RunningService.start(database, nats);
        nats.publish(Orders.sample());
        await("the sample is served", () -> service.get("/api/orders/" + Orders.SAMPLE_UID).statusCode() == 200);
        browser = Browser.start();
    }

    /** Stops what start got to: a browser that could not start left the service and its nats-server running. */
    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @BeforeEach
    void newWait() {
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @Test
    void showsTheSampleOrderWithFormattedFields() {
        open("/orders/" + Orders.SAMPLE_UID);

        WebElement order = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("order")));
        assertThat(order.findElement(By.tagName("h2")).getText()).isEqualTo(Orders.SAMPLE_UID);
        assertThat(fact(order, "Track number")).isEqualTo("WBILMTESTTRACK");
        assertThat(fact(order, "Created")).isEqualTo("Nov 26, 2021, 6:22:19 AM");
        assertThat(fact(order, "Customer")).isEqualTo("test");
        assertThat(fact(order, "Delivery service")).isEqualTo("meest");
        assertThat(fact(order, "City")).isEqualTo("Kiryat Mozkin");
        assertThat(fact(order, "Amount")).isEqualTo("$1,817.00");
        assertThat(fact(order, "Delivery")).isEqualTo("$1,500.00");
        List<String> item = order.findElements(By.cssSelector(".items tbody td")).stream().map(WebElement::getText).toList();
        assertThat(item).containsExactly("Mascaras", "Vivienne Sabo", "0", "$453.00", "30%", "$317.00");
        assertThat(order.findElement(By.cssSelector(".items tfoot")).getText()).isEqualTo("Total $317.00");
        assertThat(browser.getTitle()).isEqualTo(Orders.SAMPLE_UID + " – Orders");
    }

    @Test
    void showsTheRawJsonOfTheOrderOnRequest() throws IOException {
        open("/orders/" + Orders.SAMPLE_UID);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("order")));
        WebElement raw = browser.findElement(By.id("raw-json"));
        assertThat(raw.isDisplayed()).isFalse();

        browser.findElement(By.xpath("//button[text()='Show raw JSON']")).click();

        assertThat(raw.isDisplayed()).isTrue();
        assertThat(JSON.readTree(raw.getText())).isEqualTo(JSON.readTree(Orders.sample()));
    }

    @Test
    void looksUpAnOrderTypedInTheFormWithEnterAndPutsItInTheUrl() {
        open("/");
        WebElement input = wait.until(ExpectedConditions.elementToBeClickable(By.id("order-id")));

        input.sendKeys(Orders.SAMPLE_UID, Keys.ENTER);

        wait.until(ExpectedConditions.textToBe(By.cssSelector("#order h2"), Orders.SAMPLE_UID));
        assertThat(browser.getCurrentUrl()).endsWith("/orders/" + Orders.SAMPLE_UID);
        browser.navigate().back();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("order")));
        assertThat(browser.getCurrentUrl()).endsWith("/");
        browser.navigate().forward();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#order h2"), Orders.SAMPLE_UID));
    }

    @Test
    void saysWhenNoOrderHasTheId() {
        open("/orders/nosuchorder");

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("order-status"),
                "No order with id nosuchorder has been stored."));
        assertThat(browser.findElement(By.id("order")).isDisplayed()).isFalse();
    }

    @Test
    void refusesAMalformedIdWithoutAskingTheServer() {
        open("/");
        WebElement input = wait.until(ExpectedConditions.elementToBeClickable(By.id("order-id")));

        input.sendKeys("not an id!", Keys.ENTER);

        WebElement hint = browser.findElement(By.id("order-id-hint"));
        assertThat(hint.getText()).isEqualTo("An order id has 1–64 characters, each a letter, a digit, _ or -.");
        assertThat(input.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.getCurrentUrl()).endsWith("/");
    }

    @Test
    void showsANewOrderInTheRecentListWithoutReloadingAndOpensItOnClick() {
        open("/");
        wait.until(ExpectedConditions.textToBe(By.id("live-state"), "Live"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#recent-list li")));
        String uid = "live" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

        nats.publish(Orders.withUid(uid));

        WebElement link = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#recent-list a[data-uid='" + uid + "']")));
        assertThat(browser.findElements(By.cssSelector("#recent-list a")).getFirst().getDomAttribute("data-uid"))
                .isEqualTo(uid);
        link.click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#order h2"), uid));
        assertThat(browser.getCurrentUrl()).endsWith("/orders/" + uid);
    }

    @Test
    void showsMarkupInAnOrderAsTextAndRunsNothing() throws IOException {
        String uid = "hostile" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        nats.publish(hostileOrder(uid));
        await("the hostile order is served", () -> service.get("/api/orders/" + uid).statusCode() == 200);

        open("/orders/" + uid);

        WebElement order = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("order")));
        assertThat(fact(order, "Name")).isEqualTo(SCRIPT_NAME);
        assertThat(fact(order, "Address")).isEqualTo(IMG_ADDRESS);
        assertThat(order.findElement(By.cssSelector(".items tbody td")).getText()).isEqualTo(QUOTED_ITEM);
        assertThat(order.findElements(By.cssSelector("script, img, b"))).isEmpty();
        assertThat(browser.executeScript("return typeof window.__xss")).isEqualTo("undefined");
    }

    @Test
    void showsARejectedPayloadAsEscapedTextAndRunsNothing() {
        String payload = hostileRejectedPayload();
        long sequence = nats.publish(payload.getBytes(StandardCharsets.UTF_8)).position();
        await("the rejection is recorded", () -> database.count(
                "select count(*) from rejected_messages where position = ?", sequence) == 1);

        open("/rejected");

        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//tbody[@id='rejected-rows']/tr[td[contains(., '@ " + sequence + "')]]")));
        assertThat(row.findElement(By.cssSelector(".code")).getText()).isEqualTo("schema");
        assertThat(row.findElement(By.cssSelector(".payload pre")).getText()).isEqualTo(payload);
        assertThat(row.findElements(By.cssSelector("script, img"))).isEmpty();
        assertThat(browser.executeScript("return typeof window.__xss")).isEqualTo("undefined");
    }

    @Test
    void savesScreenshotsAtPhoneAndDesktopWidths() {
        String uid = "shot" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        nats.publish(hostileOrder(uid));
        nats.publish(hostileRejectedPayload());
        await("the order is served", () -> service.get("/api/orders/" + uid).statusCode() == 200);
        for (int width : new int[]{375, 1440}) {
            Browser.emulateWidth(browser, width, 900);
            open("/orders/" + uid);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("order")));
            wait.until(ExpectedConditions.textToBe(By.id("live-state"), "Live"));
            assertThat(Browser.screenshot(browser, "order", width)).isNotEmptyFile();
            boolean overflows = (Boolean) browser.executeScript(
                    "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
            assertThat(overflows).as("horizontal scrolling at " + width + " px").isFalse();

            open("/rejected");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rejected-rows tr")));
            assertThat(Browser.screenshot(browser, "rejected", width)).isNotEmptyFile();
        }
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
    }

    private static void open(String path) {
        browser.get(service.uri(path).toString());
    }

    private static String fact(WebElement scope, String label) {
        return scope.findElement(By.xpath(".//dt[text()='" + label + "']/following-sibling::dd[1]")).getText();
    }

    /** Valid JSON, but no order: rejected as schema. */
    private static String hostileRejectedPayload() {
        ObjectNode payload = JSON.createObjectNode().put("order_uid", "hostile").put("note", SCRIPT_NAME + IMG_ADDRESS);
        return payload.toString();
    }

    private static String hostileOrder(String uid) {
        try {
            ObjectNode order = (ObjectNode) JSON.readTree(Orders.withUid(uid));
            ((ObjectNode) order.get("delivery")).put("name", SCRIPT_NAME).put("address", IMG_ADDRESS);
            ((ObjectNode) order.get("items").get(0)).put("name", QUOTED_ITEM);
            return JSON.writeValueAsString(order);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
