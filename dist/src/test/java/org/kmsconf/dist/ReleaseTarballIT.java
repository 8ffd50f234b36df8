package org.kmsconf.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The release as an operator on a fresh machine uses it, following docs/operations.md: the tarball unpacked into an
 * empty directory, its {@code bin/kmsconf} run as separate processes to provision a KMS and a conference server,
 * two {@code ue} processes in a conference, the conference watched in the web console (headless Chromium), a
 * participant removed from the console, and the removal seen in the metrics and the audit. The systemd units of the
 * tarball pass {@code systemd-analyze verify}.
 */
@Tag("external")
class ReleaseTarballIT {
    static final String FACTORY = "sip:factory.conference1@operator";
    static final Pattern KEY_ID = Pattern.compile("key id \\(IDRpsk, hex\\): ([0-9a-f]+)");
    static final Pattern PSK = Pattern.compile("pre-shared key \\(hex\\): ([0-9a-f]+)");
    static final Pattern FOCUS = Pattern.compile("(sip:focus\\d+\\.conference1@operator)");

    @TempDir
    Path tmp;

    private final List<Release.Proc> running = new ArrayList<>();
    private Path home;

    @AfterEach
    void stop() throws InterruptedException {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).stop();
        }
    }

    @Test
    void anOperatorInstallsProvisionsWatchesAndRemovesAParticipantFromTheConsole() throws Exception {
        // Install: unpack the tarball (docs/operations.md "Install")
        Release.Result untar = Release.run(tmp, 60, List.of("tar", "-xzf", Release.tarball().toString(), "-C",
                tmp.toString()));
        assertThat(untar.code()).as(untar.output()).isZero();
        try (var dirs = Files.list(tmp)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("kmsconf-")).findFirst().orElseThrow();
        }
        assertThat(home.resolve("bin/kmsconf")).isExecutable();
        assertThat(home.resolve("systemd/kmsconf-kms.service")).exists();
        assertThat(home.resolve("systemd/kmsconf-conference.service")).exists();
        assertThat(home.resolve("config/kms.properties")).exists();
        assertThat(home.resolve("docs/operations.md")).exists();
        assertThat(kmsconf(0, "--version")).startsWith("kmsconf ").doesNotContain("dev");
        verifyUnits();

        Path data = Files.createDirectories(tmp.resolve("var"));
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        String kmsDir = data.resolve("kms").toString();
        // First provisioning (docs/operations.md "First provisioning")
        kmsconf(0, "kms", "init", "--data-dir", kmsDir);
        String[] confsys = key(kmsconf(0, "user", "add", "confsys", "--identity", FACTORY, "--psk-bits", "256",
                "--data-dir", kmsDir));
        kmsconf(0, "conference-system", "add-factory", FACTORY, "--data-dir", kmsDir);
        String[] alice = key(kmsconf(0, "user", "add", "alice", "--identity", "sip:alice@operator",
                "--can-create-conferences", "--data-dir", kmsDir));
        String[] bob = key(kmsconf(0, "user", "add", "bob", "--identity", "sip:bob@operator", "--data-dir", kmsDir));
        Path confsysPsk = psk(etc, "confsys", confsys[1]);
        Path alicePsk = psk(etc, "alice", alice[1]);
        Path bobPsk = psk(etc, "bob", bob[1]);

        int kmsPort = Release.freePort();
        int sipPort = Release.freePort();
        int adminPort = Release.freePort();
        int alicePort = Release.freePort();
        int bobPort = Release.freePort();
        String kmsUrl = "http://127.0.0.1:" + kmsPort + "/kms";
        Path directory = etc.resolve("directory.txt");
        Files.writeString(directory, String.join("\n", FACTORY + " 127.0.0.1:" + sipPort,
                "sip:*.conference1@operator 127.0.0.1:" + sipPort, "sip:alice@operator 127.0.0.1:" + alicePort,
                "sip:bob@operator 127.0.0.1:" + bobPort, ""));

        Path auditToken = data.resolve("kms/audit.token");
        Release.Proc kms = start("kms", "serve", "--data-dir", kmsDir, "--listen", "127.0.0.1:" + kmsPort,
                "--audit-token-file", auditToken.toString());
        kms.await("listening on", 90);
        String confDir = data.resolve("conference").toString();
        Release.Proc conference = start("conference", "serve", "--factory", FACTORY, "--key-id", confsys[0],
                "--psk-file", confsysPsk.toString(), "--kms", kmsUrl, "--sip-listen", "127.0.0.1:" + sipPort,
                "--directory", directory.toString(), "--data-dir", confDir, "--admin-listen", "127.0.0.1:" + adminPort,
                "--console-kms-audit-token-file", auditToken.toString());
        conference.await("admin interface: http://127.0.0.1:" + adminPort, 90);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(
                "conference/admin.token")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auditToken))).isEqualTo("rw-------");

        // A conference with two ue processes: alice creates it and joins, bob joins; both stay until their call ends
        List<String> aliceUe = List.of("ue", "--identity", "sip:alice@operator", "--key-id", alice[0], "--psk-file",
                alicePsk.toString(), "--kms", kmsUrl, "--sip-listen", "127.0.0.1:" + alicePort, "--directory",
                directory.toString());
        String created = kmsconf(0, concat(aliceUe, "create", FACTORY, "sip:bob@operator"));
        Matcher f = FOCUS.matcher(created);
        assertThat(f.find()).as(created).isTrue();
        String focus = f.group(1);
        Release.Proc aliceProc = start(concat(aliceUe, "--stay", "120", "--until-calls-end", "join", focus));
        aliceProc.await("✓ join " + focus, 60);
        Release.Proc bobProc = start("ue", "--identity", "sip:bob@operator", "--key-id", bob[0], "--psk-file",
                bobPsk.toString(), "--kms", kmsUrl, "--sip-listen", "127.0.0.1:" + bobPort, "--directory",
                directory.toString(), "--stay", "120", "--until-calls-end", "join", focus);
        bobProc.await("✓ join " + focus, 60);

        // Watch it in the console (docs/operations.md "The console")
        String url = kmsconf(0, "conference", "admin", "console-url", "--data-dir", confDir).strip();
        assertThat(url).startsWith("http://127.0.0.1:" + adminPort + "/console/#token=");
        WebDriver browser = chromium(tmp.resolve("chromium"));
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(url);
            wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-status", "live"));
            String card = "article.conference[data-focus='" + focus + "']";
            wait.until(d -> d.findElements(By.cssSelector(card + " g.leg[data-state='CONNECTED']")).size() == 2);
            wait.until(d -> inRate(d, card, "sip:bob@operator") > 10 && inRate(d, card, "sip:alice@operator") > 10);
            wait.until(d -> !d.findElements(By.cssSelector("#kms li.kms-audit")).isEmpty());
            String shown = kmsconf(0, "conference", "admin", "show", focus, "--data-dir", confDir);
            String bobSsrc = browser.findElement(By.cssSelector(card + " g.leg[data-participant='sip:bob@operator']"))
                    .getAttribute("data-ssrc");
            assertThat(shown).contains("sip:bob@operator  CONNECTED (DIALED_IN) SSRC " + bobSsrc);

            // ... and remove bob from it
            browser.findElement(By.cssSelector(card + " button.remove[data-participant='sip:bob@operator']")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(d -> d.findElements(By.cssSelector(card + " g.leg[data-participant='sip:bob@operator']"))
                    .isEmpty());
            wait.until(d -> !d.findElements(By.cssSelector("#audit li.audit[data-action='remove']"
                    + "[data-outcome='DONE']")).isEmpty());
        } finally {
            browser.quit();
        }
        // bob's user agent saw its call end (the focus's BYE) and stopped by itself
        assertThat(bobProc.process.waitFor(20, TimeUnit.SECONDS)).as(bobProc.output()).isTrue();
        assertThat(bobProc.process.exitValue()).as(bobProc.output()).isZero();
        assertThat(aliceProc.process.isAlive()).isTrue();

        // the removal in the metrics and in the audit (docs/operations.md "Logs, audit and metrics")
        String metrics = kmsconf(0, "conference", "admin", "metrics", "--data-dir", confDir);
        assertThat(metrics).contains("conference_legs_ended_total{reason=\"removed\"} 1.0",
                "conference_admin_actions_total{action=\"remove\",outcome=\"done\"} 1.0", "conference_legs_active 1.0");
        String audit = kmsconf(0, "conference", "admin", "audit", "--data-dir", confDir);
        assertThat(audit).contains("remove DONE  sip:bob@operator from " + focus + "  by console");
        assertThat(Files.readString(data.resolve("conference/admin-audit.jsonl"))).contains("\"action\":\"remove\"");
        // and the KMS's own audit has the resolves that admitted them
        String kmsAudit = kmsconf(0, "kms", "audit", "--data-dir", kmsDir, "-n", "50");
        assertThat(kmsAudit).contains("RESOLVE RESOLVED user=confsys initiator=sip:bob@operator");
    }

    private void verifyUnits() throws Exception {
        for (String unit : List.of("kmsconf-kms.service", "kmsconf-conference.service")) {
            Path copy = tmp.resolve(unit);
            Files.writeString(copy, Files.readString(home.resolve("systemd/" + unit))
                    .replace("/opt/kmsconf", home.toString()));
            Release.Result r = Release.run(tmp, 60, List.of("systemd-analyze", "verify", copy.toString()));
            assertThat(r.output()).as(unit).doesNotContainIgnoringCase("unknown").doesNotContainIgnoringCase("invalid")
                    .doesNotContainIgnoringCase("failed").doesNotContain("ignoring");
        }
    }

    private String kmsconf(int expected, String... args) throws Exception {
        return kmsconf(expected, List.of(args));
    }

    private String kmsconf(int expected, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/kmsconf").toString()));
        cmd.addAll(args);
        Release.Result r = Release.run(tmp, 120, cmd);
        assertThat(r.code()).as(String.join(" ", args) + ":\n" + r.output()).isEqualTo(expected);
        return r.output();
    }

    private Release.Proc start(String... args) throws Exception {
        return start(List.of(args));
    }

    private Release.Proc start(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/kmsconf").toString()));
        cmd.addAll(args);
        Release.Proc p = Release.Proc.start(tmp, cmd);
        running.add(p);
        return p;
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> r = new ArrayList<>(a);
        r.addAll(List.of(b));
        return r;
    }

    /** {key id, PSK} from the output of 'user add' (printed once). */
    private static String[] key(String out) {
        Matcher k = KEY_ID.matcher(out);
        Matcher p = PSK.matcher(out);
        assertThat(k.find() && p.find()).as(out).isTrue();
        return new String[] {k.group(1), p.group(1)};
    }

    private static Path psk(Path etc, String name, String hex) throws Exception {
        Path f = etc.resolve(name + ".psk");
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, hex + "\n");
        return f;
    }

    private static double inRate(WebDriver d, String card, String who) {
        var e = d.findElements(By.cssSelector(card + " tr[data-participant='" + who + "'] td.in-rate"));
        try {
            return e.isEmpty() ? 0 : Double.parseDouble(e.get(0).getText());
        } catch (NumberFormatException | org.openqa.selenium.StaleElementReferenceException x) {
            return 0;
        }
    }

    static WebDriver chromium(Path profile) {
        for (String tool : List.of("/usr/bin/chromium", "/usr/bin/chromedriver")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new AssertionError(tool + " is missing: run scripts/install-external.sh");
            }
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1100");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(
                new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), o);
    }
}
