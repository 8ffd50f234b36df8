package org.kmsconf.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.media.rtp.RtpEndpoint;
import org.kmsconf.media.rtp.ToneSource;
import org.kmsconf.ops.client.AdminClient;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UserAgent;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by
 * WebDriver): a conference runs with SRTP flowing, the console shows what the server's state says (legs, SSRCs,
 * policies, key fingerprints, Call-IDs, packet rates, the KMS's rates and audit tail), a refusal appears as it
 * happens, and a removal clicked in the console ends the participant's call, leaves the picture and shows in the
 * audit and the metrics. Takes {@code target/console.png} (and, with {@code -Dconsole.screenshot=FILE}, a copy
 * there: docs/console.png comes from this test).
 */
@Tag("external")
class ConsoleBrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    Path dir;

    /** A headless Chromium with a fresh profile that reaches for nothing on the internet. */
    static WebDriver chromium(Path profile) {
        for (String tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new AssertionError(tool + " is missing: run scripts/install-external.sh (Debian chromium, "
                        + "chromium-driver)");
            }
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1100", "--lang=en-GB");
        return new ChromeDriver(service, o);
    }

    @Test
    void theConsoleShowsTheServersStateARefusalAndARemovalAsTheyHappen() throws Exception {
        try (OpsWorld w = new OpsWorld(dir, true)) {
            UserAgent alice = w.ue("alice");
            UserAgent bob = w.ue("bob");
            UserAgent carol = w.ue("carol");
            UserAgent mallory = w.ue("mallory");
            String focus = alice.createConference(OpsWorld.FACTORY, List.of("sip:bob@operator", "sip:carol@operator"))
                    .focusUri();
            Call a = alice.join(focus);
            Call b = bob.join(focus);
            Call c = carol.join(focus);
            for (Call call : List.of(a, b, c)) {
                RtpEndpoint e = w.rtp(call);
                e.startSending(new ToneSource(300 + 100 * w.media.size(), 0.2)); // 50 packets a second each
            }
            WebDriver browser = chromium(dir.resolve("chromium-profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(w.ops.uri() + "/console/#token=" + w.token());
                wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-status", "live"));
                // the token left the address bar at once
                assertThat(browser.getCurrentUrl()).doesNotContain("token").doesNotContain(w.token());

                String card = "article.conference[data-focus='" + focus + "']";
                wait.until(d -> d.findElements(By.cssSelector(card + " g.leg")).size() == 3);
                // what the page shows is what the server says, leg by leg
                AdminClient api = w.adminClient();
                JsonNode conf = api.conference(focus);
                for (JsonNode p : conf.path("participants")) {
                    String who = p.path("identity").asText();
                    WebElement node = browser.findElement(By.cssSelector(card + " g.leg[data-participant='" + who
                            + "']"));
                    assertThat(node.getAttribute("data-ssrc")).isEqualTo(p.path("ssrc").asText());
                    assertThat(node.getAttribute("data-state")).isEqualTo("CONNECTED");
                    WebElement row = browser.findElement(By.cssSelector(card + " tr[data-participant='" + who + "']"));
                    JsonNode leg = p.path("leg");
                    assertThat(row.findElement(By.cssSelector("td.ssrc")).getText()).isEqualTo(p.path("ssrc").asText());
                    assertThat(row.findElement(By.cssSelector("td.policy")).getText())
                            .isEqualTo(leg.path("fromParticipant").path("srtpPolicy").asText());
                    assertThat(row.findElement(By.cssSelector("td.fingerprints")).getText()).isEqualTo(
                            leg.path("fromParticipant").path("keyFingerprint").asText() + " / "
                                    + leg.path("toParticipant").path("keyFingerprint").asText());
                    assertThat(row.findElement(By.cssSelector("td.call-id")).getDomProperty("textContent"))
                            .isEqualTo(leg.path("callId").asText());
                }
                // ... including bob's own keys' fingerprints, as bob's user agent has them
                assertThat(browser.findElement(By.cssSelector(card + " tr[data-participant='sip:bob@operator']"
                        + " td.fingerprints")).getText()).isEqualTo(b.sendKeys().fingerprint() + " / "
                        + b.receiveKeys().fingerprint());
                // packet rates move: about 50 packets a second in from each, 100 out to each (two others)
                wait.until(d -> rate(d, card, "sip:bob@operator", "in-rate") > 30
                        && rate(d, card, "sip:bob@operator", "out-rate") > 60);

                // a refusal appears as it happens
                int before = browser.findElements(By.cssSelector("#refusals li.refusal")).size();
                try {
                    mallory.join(focus);
                    throw new AssertionError("mallory got in");
                } catch (FlowFailedException expected) {
                    // 403
                }
                WebElement refusal = wait.until(d -> d.findElements(By.cssSelector(
                        "#refusals li.refusal[data-check='caller-allowed']")).stream()
                        .filter(li -> li.getText().contains("sip:mallory@operator")).findFirst().orElse(null));
                assertThat(refusal.findElement(By.cssSelector(".detail")).getText())
                        .isEqualTo("sip:mallory@operator is not allowed in " + focus);
                assertThat(browser.findElements(By.cssSelector("#refusals li.refusal")).size()).isGreaterThan(before);

                // the KMS panel: request rates from its metrics and its audit tail
                wait.until(d -> !d.findElements(By.cssSelector("#kms tr.kms-rate[data-exchange='RESOLVE']"
                        + "[data-outcome='RESOLVED']")).isEmpty() && !d.findElements(By.cssSelector(
                        "#kms li.kms-audit")).isEmpty());
                // the panel re-renders as it polls: read each element inside a wait that retries a stale one
                long resolved = wait.until(d -> Long.parseLong(d.findElement(By.cssSelector(
                        "#kms tr.kms-rate[data-exchange='RESOLVE'][data-outcome='RESOLVED'] td.total")).getText()));
                assertThat(resolved).isGreaterThanOrEqualTo(4);
                Boolean auditShowsResolve = wait.until(d -> d.findElements(By.cssSelector("#kms li.kms-audit"))
                        .stream().anyMatch(li -> li.getText().contains("RESOLVE")));
                assertThat(auditShowsResolve).isTrue();
                screenshot(browser);

                // the operator removes bob from the console
                browser.findElement(By.cssSelector(card + " button.remove[data-participant='sip:bob@operator']"))
                        .click();
                wait.until(ExpectedConditions.alertIsPresent()).accept(); // "Remove sip:bob@operator …?"
                b.ended().get(2, TimeUnit.SECONDS); // his BYE
                wait.until(d -> d.findElements(By.cssSelector(card + " g.leg[data-participant='sip:bob@operator']"))
                        .isEmpty());
                assertThat(browser.findElements(By.cssSelector(card + " g.leg"))).hasSize(2);
                WebElement audit = wait.until(d -> d.findElements(By.cssSelector(
                        "#audit li.audit[data-action='remove'][data-outcome='DONE']")).stream().findFirst()
                        .orElse(null));
                assertThat(audit.getText()).contains("sip:bob@operator from " + focus, "console");
                // the server agrees, and so do its metrics and its audit
                assertThat(api.conference(focus).path("participants")).extracting(p -> p.path("identity").asText())
                        .containsExactly("sip:alice@operator", "sip:carol@operator");
                assertThat(api.metrics()).contains("conference_legs_ended_total{reason=\"removed\"} 1.0",
                        "conference_admin_actions_total{action=\"remove\",outcome=\"done\"} 1.0");
                assertThat(api.audit(5).get(0).path("operator").asText()).isEqualTo("console");
                assertThat(a.isActive()).isTrue();
                assertThat(c.isActive()).isTrue();
            } finally {
                browser.quit();
            }
        }
    }

    private static double rate(WebDriver d, String card, String who, String cls) {
        List<WebElement> e = d.findElements(By.cssSelector(card + " tr[data-participant='" + who + "'] td." + cls));
        try {
            return e.isEmpty() ? 0 : Double.parseDouble(e.get(0).getText());
        } catch (NumberFormatException | org.openqa.selenium.StaleElementReferenceException x) {
            return 0;
        }
    }

    private static void screenshot(WebDriver browser) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "console.png");
        Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
        String extra = System.getProperty("console.screenshot");
        if (extra != null && !extra.isBlank()) {
            Files.copy(png, Path.of(extra), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
