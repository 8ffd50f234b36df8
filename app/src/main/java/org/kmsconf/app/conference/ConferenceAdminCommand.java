package org.kmsconf.app.conference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.kmsconf.httpserver.TokenFile;
import org.kmsconf.ops.ConferenceOps;
import org.kmsconf.ops.client.AdminApiException;
import org.kmsconf.ops.client.AdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code kmsconf conference admin …}: the conference server's admin API from the command line (list, show, end,
 * remove, refusals, audit, metrics, console-url). Finds the server and its token through {@code --data-dir}, as
 * {@code conference serve} left them there.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        header = "Operate a running conference server through its admin API.",
        description = {
            "Lists conferences, shows one with its participants and legs (SIP dialog,",
            "SSRCs, SRTP policy, key fingerprints, packet counters), ends a conference,",
            "removes a participant (the owner's own action: a BYE and its keys dropped),",
            "shows recent refusals and the operator audit. Every action is audited on",
            "the server with --as NAME. The server's URL and token come from the same",
            "--data-dir as 'conference serve' (admin.url, admin.token).",
            ""
        },
        subcommands = {ConferenceAdminCommand.ListConferences.class, ConferenceAdminCommand.Show.class,
            ConferenceAdminCommand.End.class, ConferenceAdminCommand.Remove.class,
            ConferenceAdminCommand.RefusalsCmd.class, ConferenceAdminCommand.AuditCmd.class,
            ConferenceAdminCommand.Metrics.class, ConferenceAdminCommand.ConsoleUrl.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Example:",
            "  kmsconf conference admin list --data-dir /var/lib/kmsconf/conference",
            "  kmsconf conference admin remove sip:focus123.conference1@operator sip:bob@operator --as jane"})
public final class ConferenceAdminCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the admin interface is and how to authenticate (each subcommand's options). */
    static final class Target {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = AdminOptions.DEFAULT_DATA_DIR,
                description = "The conference server's --data-dir (default ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--url", paramLabel = "URL",
                description = "The admin interface (default: <data-dir>/admin.url, else http://127.0.0.1:8190).")
        String url;

        @Option(names = "--token-file", paramLabel = "FILE", description = "Default: <data-dir>/admin.token.")
        Path tokenFile;

        @Option(names = "--as", paramLabel = "NAME", description = "Your name, for the server's audit.")
        String operatorName;

        @Option(names = "--cacert", paramLabel = "PEM",
                description = "Trust this certificate (PEM) for an HTTPS admin interface with its own certificate.")
        Path cacert;

        @Option(names = "--json", description = "Print the API's JSON as it is.")
        boolean json;

        URI uri() {
            if (url != null) {
                return URI.create(url);
            }
            Path f = dataDir.resolve(AdminOptions.URL_FILE);
            try {
                return URI.create(Files.isReadable(f) ? Files.readString(f).strip() : "http://127.0.0.1:8190");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
            }
        }

        String token() {
            return TokenFile.read(tokenFile != null ? tokenFile : dataDir.resolve("admin.token"),
                    ConferenceOps.ADMIN_TOKEN);
        }

        AdminClient client() {
            return new AdminClient(uri(), token(), operatorName, tls());
        }

        private SSLContext tls() {
            if (cacert == null) {
                return null;
            }
            try (InputStream in = Files.newInputStream(cacert)) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + i++, cert);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                return ctx;
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot use --cacert " + cacert + ": " + e.getMessage());
            }
        }
    }

    /** Runs one API call; a refusal or an unreachable server is one line and exit code 1. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Spec
        CommandLine.Model.CommandSpec spec;

        abstract void run(AdminClient api, PrintWriter out) throws IOException;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                run(target.client(), out);
                out.flush();
                return 0;
            } catch (AdminApiException e) {
                spec.commandLine().getErr().println("kmsconf: " + e.getMessage() + " (HTTP " + e.status() + ")");
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("kmsconf: " + e.getMessage());
                return 1;
            }
        }
    }

    /** An API call whose answer is JSON: printed as it is with {@code --json}, else as lines for a person. */
    abstract static class JsonAction extends Action {
        abstract JsonNode fetch(AdminClient api) throws IOException;

        abstract void text(JsonNode answer, PrintWriter out);

        @Override
        final void run(AdminClient api, PrintWriter out) throws IOException {
            JsonNode answer = fetch(api);
            if (target.json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } else {
                text(answer, out);
            }
        }
    }

    /** The latest entries of a server-side log, newest first, one line each. */
    abstract static class Recent extends JsonAction {
        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many (${DEFAULT-VALUE}).")
        int limit;

        abstract String line(JsonNode entry);

        @Override
        void text(JsonNode list, PrintWriter out) {
            for (JsonNode entry : list) {
                out.println(line(entry));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the running conferences.")
    static final class ListConferences extends JsonAction {
        @Override
        JsonNode fetch(AdminClient api) throws IOException {
            return api.conferences();
        }

        @Override
        void text(JsonNode list, PrintWriter out) {
            if (list.isEmpty()) {
                out.println("no conference is running");
            }
            for (JsonNode c : list) {
                out.printf("%s  owner %s  connected %d  dialling out %d  allowed %d  since %s%n",
                        c.path("focusUri").asText(), c.path("owner").asText(), c.path("connected").asInt(),
                        c.path("dialingOut").asInt(), c.path("allowed").asInt(), c.path("created").asText());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One conference: owner, allowed set, participants and their legs (never keys).")
    static final class Show extends JsonAction {
        @Parameters(paramLabel = "FOCUS-URI")
        String focus;

        @Override
        JsonNode fetch(AdminClient api) throws IOException {
            return api.conference(focus);
        }

        @Override
        void text(JsonNode c, PrintWriter out) {
            out.println(c.path("focusUri").asText() + "  owner " + c.path("owner").asText());
            out.println("  allowed: " + (c.path("allowed").isEmpty() ? "(none)" : join(c.path("allowed"))));
            out.println("  created " + c.path("created").asText() + (c.path("validUntil").isTextual()
                    ? ", ticket valid until " + c.path("validUntil").asText() : ""));
            for (JsonNode p : c.path("participants")) {
                out.printf("  %s  %s (%s) SSRC %s since %s%n", p.path("identity").asText(), p.path("status").asText(),
                        p.path("joinMethod").asText(), p.path("ssrc").asText(), p.path("since").asText());
                JsonNode l = p.path("leg");
                if (l.isObject()) {
                    out.printf("    dialog %s, relay %s <- %s%n", l.path("dialogId").asText(),
                            l.path("relayAddress").asText(), l.path("participantAddress").asText("(not yet)"));
                    for (String dir : new String[] {"fromParticipant", "toParticipant"}) {
                        JsonNode cs = l.path(dir);
                        out.printf("    %s CS %d SSRC %s %s key fingerprint %s%n", dir.equals("fromParticipant")
                                ? "in " : "out", cs.path("csId").asInt(), cs.path("ssrc").asText(),
                                cs.path("srtpPolicy").asText(), cs.path("keyFingerprint").asText());
                    }
                    JsonNode k = l.path("counters");
                    if (k.isObject()) {
                        out.printf("    packets received %d (authenticated %d, auth failures %d, replays %d, SSRC %d,"
                                        + " invalid %d), sent %d (send drops %d); %.1f pps in, %.1f pps out%n",
                                k.path("received").asLong(), k.path("authenticated").asLong(),
                                k.path("authFailures").asLong(), k.path("replayDrops").asLong(),
                                k.path("ssrcDrops").asLong(), k.path("invalidDrops").asLong(), k.path("sent").asLong(),
                                k.path("sendDrops").asLong(), l.path("rates").path("inPerSecond").asDouble(),
                                l.path("rates").path("outPerSecond").asDouble());
                    }
                }
            }
        }
    }

    @Command(name = "end", mixinStandardHelpOptions = true,
            description = "End a conference: every participant gets a BYE and loses its keys.")
    static final class End extends JsonAction {
        @Parameters(paramLabel = "FOCUS-URI")
        String focus;

        @Override
        JsonNode fetch(AdminClient api) throws IOException {
            return api.end(focus);
        }

        @Override
        void text(JsonNode r, PrintWriter out) {
            out.println("✓ ended " + focus + (r.path("departed").isEmpty() ? "" : "; legs ended: "
                    + join(r.path("departed"))));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove a participant, as the owner may (BYE, keys dropped).",
                "Out of the allowed set and, if on a call, a BYE and its keys dropped. The owner cannot be",
                "removed (end the conference instead)."})
    static final class Remove extends JsonAction {
        @Parameters(index = "0", paramLabel = "FOCUS-URI")
        String focus;

        @Parameters(index = "1", paramLabel = "PARTICIPANT-URI")
        String participant;

        @Override
        JsonNode fetch(AdminClient api) throws IOException {
            return api.remove(focus, participant);
        }

        @Override
        void text(JsonNode r, PrintWriter out) {
            out.println("✓ removed " + participant + " from " + focus + (r.path("departed").isEmpty()
                    ? " (it had no call)" : "; legs ended: " + join(r.path("departed"))));
        }
    }

    @Command(name = "refusals", mixinStandardHelpOptions = true,
            description = "Recent refusals (failed checks of the conference rules and the signalling), newest first.")
    static final class RefusalsCmd extends Recent {
        @Override
        JsonNode fetch(AdminClient api) throws IOException {
            return api.refusals(limit);
        }

        @Override
        String line(JsonNode r) {
            return String.format("%s  %s  %s  %s", r.path("at").asText(), r.path("party").asText(),
                    r.path("check").asText(), r.path("detail").asText());
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Recent operator actions (logins, ends, removals, refused attempts), newest first.")
    static final class AuditCmd extends Recent {
        @Override
        JsonNode fetch(AdminClient api) throws IOException {
            return api.audit(limit);
        }

        @Override
        String line(JsonNode e) {
            return String.format("%s  %s %s  %s  by %s from %s%s", e.path("at").asText(), e.path("action").asText(),
                    e.path("outcome").asText(), e.path("target").asText(), e.path("operator").asText(),
                    e.path("remote").asText(), e.path("detail").asText().isEmpty() ? ""
                            : "  (" + e.path("detail").asText() + ")");
        }
    }

    @Command(name = "metrics", mixinStandardHelpOptions = true, description = "The server's Prometheus metrics.")
    static final class Metrics extends Action {
        @Override
        void run(AdminClient api, PrintWriter out) throws IOException {
            out.print(api.metrics());
        }
    }

    @Command(name = "console-url", mixinStandardHelpOptions = true,
            description = {"The web console's address, with the token after '#'.",
                "The part after # is never sent by a browser; the page trades it for a session cookie and",
                "clears it. It holds the token: open it yourself, do not share it."})
    static final class ConsoleUrl implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(target.uri().toString().replaceAll("/+$", "") + "/console/#token="
                    + URLEncoder.encode(target.token(), StandardCharsets.UTF_8));
            return 0;
        }
    }

    private static String join(JsonNode array) {
        StringBuilder b = new StringBuilder();
        array.forEach(n -> b.append(b.length() == 0 ? "" : ", ").append(n.asText()));
        return b.toString();
    }
}
