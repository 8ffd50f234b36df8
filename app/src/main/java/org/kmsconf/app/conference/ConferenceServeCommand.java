package org.kmsconf.app.conference;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kmsconf.app.config.HostPort;
import org.kmsconf.app.config.ConfigFileOption;
import org.kmsconf.app.config.PartyOptions;
import org.kmsconf.app.config.Verbosity;
import org.kmsconf.app.trace.FlowLog;
import org.kmsconf.control.tls.TlsPolicy;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.ops.ConferenceOps;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.conference.FocusUris;
import org.kmsconf.sip.conference.Limits;
import org.kmsconf.sip.focus.ConferenceServer;
import org.kmsconf.sip.focus.FloorControlConfig;
import org.kmsconf.sip.focus.ServerConfig;
import org.kmsconf.sip.keys.KeyAgent;
import org.kmsconf.sip.media.RelayMedia;
import org.kmsconf.sip.stack.Capacity;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.stack.SourceRateLimit;
import org.kmsconf.sip.trace.FlowListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kmsconf conference serve}: a conference factory and its foci on one SIP stack, one KMS user, with the
 * per-leg SRTP relay. Runs until stopped (SIGINT/SIGTERM).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Run a conference factory and its foci with the per-leg SRTP relay.", sortOptions = false,
        description = {
            "Runs a conference system: the factory creates conferences (flow 1), each",
            "focus admits participants (flows 2, 3, 5), calls users out on REFER",
            "(flow 4), takes the owner's allowed-set updates, and relays SRTP with",
            "separate keys per leg. Runs until stopped (Ctrl-C / SIGTERM); -v logs",
            "every flow step on stderr.",
            "",
            "The admin interface (HTTP/JSON API, Prometheus /metrics, web console at",
            "/console/) listens on 127.0.0.1:8190 unless --admin-listen says otherwise;",
            "its bearer token is <data-dir>/admin.token, created with mode 600 at first",
            "start. 'kmsconf conference admin --help' uses it (docs/operations.md).",
            "",
            "Options can also come from --config FILE (a properties file, keys = long",
            "option names without dashes, e.g. sip-listen=127.0.0.1:5060).",
            ""
        },
        footer = {"", "Example:",
            "  kmsconf conference serve --factory sip:factory.conference1@operator \\",
            "    --key-id 0102030405060708 --psk-file confsys.psk \\",
            "    --kms http://127.0.0.1:8180/kms --sip-listen 127.0.0.1:5060 \\",
            "    --directory dir.txt"})
public final class ConferenceServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceServeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Option(names = "--factory", paramLabel = "URI", defaultValue = "sip:factory.conference1@operator",
            description = "The factory's public identity (default ${DEFAULT-VALUE}).")
    String factory;

    @Option(names = {"--focus-rule", "--focus-pattern"}, paramLabel = "URI",
            description = "Focus URIs to allocate by rule, {N} = a random 64-bit number, so that no one can guess "
                    + "the next (default: sip:focus{N}.<suffix>@<domain> for factory sip:factory.<suffix>@<domain>, "
                    + "the KMS's default rule). The KMS must hold the same rule for the factory.")
    String focusRule;

    @Option(names = "--focus-list", paramLabel = "URI", split = ",",
            description = "Focus URIs to allocate from an explicit list instead of a rule (each used by one "
                    + "conference at a time). The KMS must hold the same list for the factory.")
    List<String> focusList;

    @Option(names = "--skip-kms-check",
            description = "Start without first checking that the KMS lets the factory act as the focus URIs it "
                    + "allocates (by default a mismatch stops the server with an error).")
    boolean skipKmsCheck;

    @Option(names = "--max-conferences", paramLabel = "N", defaultValue = "1000",
            description = "Conferences held at once (default ${DEFAULT-VALUE}); a creation beyond gets 503.")
    int maxConferences;

    @Option(names = "--max-conferences-per-creator", paramLabel = "N", defaultValue = "10",
            description = "Conferences one creator may own at once (default ${DEFAULT-VALUE}); beyond: 403.")
    int maxPerCreator;

    @Option(names = "--max-participants", paramLabel = "N", defaultValue = "50",
            description = "Participants per conference (default ${DEFAULT-VALUE}); beyond: 486.")
    int maxParticipants;

    @Option(names = "--idle-expiry", paramLabel = "SECONDS", defaultValue = "600",
            description = "A conference without any participant ends after this long (default ${DEFAULT-VALUE}); "
                    + "it also ends when its creation ticket's validity runs out, or when the owner leaves.")
    long idleExpiry;

    @Option(names = "--sip-workers", paramLabel = "N", defaultValue = "32",
            description = "Threads handling requests (KMS exchanges, call-outs) (default ${DEFAULT-VALUE}).")
    int sipWorkers;

    @Option(names = "--sip-queue", paramLabel = "N", defaultValue = "256",
            description = "Requests waiting for a worker at most (default ${DEFAULT-VALUE}); beyond: 503 with "
                    + "Retry-After.")
    int sipQueue;

    @Option(names = "--rate-per-source", paramLabel = "PER_SECOND", defaultValue = "50",
            description = "INVITE, UPDATE and REFER a second one source address may send, bursts of twice that "
                    + "(default ${DEFAULT-VALUE}; 0 = no limit); beyond: 503 with Retry-After.")
    double ratePerSource;

    @Option(names = "--allowed-creators", paramLabel = "URI", split = ",",
            description = "Conference policy of the conference system: only these may create conferences "
                    + "(default: left to the KMS's policy at resolve).")
    List<String> allowedCreators;

    @Option(names = "--participants-may-refer",
            description = "Let participants other than the owner ask the focus to call someone out.")
    boolean participantsMayRefer;

    @Option(names = "--floor-control",
            description = "Be the floor control server (BFCP over TLS, each leg's PSK from its MIKEY exchange) of "
                    + "the conferences whose creator asks for it: the owner chairs, only the floor holder is "
                    + "heard.")
    boolean floorControl;

    @Option(names = "--bfcp-port", paramLabel = "PORT", defaultValue = "0",
            description = "TCP port of the BFCP TLS server, on the SIP address (default ${DEFAULT-VALUE}: any free "
                    + "one; the SDP names it).")
    int bfcpPort;

    @Option(names = "--bfcp-tls12",
            description = "Also accept TLS 1.2 with ECDHE-PSK (TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256) for BFCP; "
                    + "by default TLS 1.3 with psk_dhe_ke only.")
    boolean bfcpTls12;

    @Mixin
    PartyOptions party = new PartyOptions();

    @Mixin
    AdminOptions admin = new AdminOptions();

    @Mixin
    Verbosity verbosity = new Verbosity();

    /** Counted down by a test to stop the server; a real run stops on SIGINT/SIGTERM. */
    static volatile CountDownLatch stopForTests;

    private ServerConfig serverConfig(HostPort listen, Directory directory, KeyAgent agent, RelayMedia media,
                                      ConferenceOps ops) {
        if (focusRule != null && focusList != null) {
            throw new IllegalArgumentException("give either --focus-rule or --focus-list, not both");
        }
        FocusUris focusUris = focusList != null ? FocusUris.list(focusList.stream().map(Directory::normalise)
                .toList()) : focusRule != null ? FocusUris.rule(Directory.normalise(focusRule)) : null;
        Limits limits = new Limits(maxConferences, maxPerCreator, maxParticipants, Duration.ofSeconds(idleExpiry));
        SourceRateLimit rate = ratePerSource == 0 ? SourceRateLimit.NONE
                : new SourceRateLimit(ratePerSource, Math.max(1, 2 * ratePerSource), 10_000);
        FlowListener trace = ops == null ? new FlowLog("conference") : ops.alongside(new FlowLog("conference"));
        return ServerConfig.of(factory, listen.host(), listen.port(), directory, ops == null ? agent : ops.timed(agent))
                .withFocusUris(focusUris)
                .withAllowedCreators(allowedCreators == null ? null : Set.copyOf(allowedCreators))
                .withParticipantsMayRefer(participantsMayRefer).withMedia(media).withTrace(trace)
                .withTimeout(party.sip.timeout()).withLimits(limits)
                .withCapacity(new Capacity(sipWorkers, sipQueue, rate)).withProbeKms(!skipKmsCheck)
                .withFloorControl(floorControl ? new FloorControlConfig(bfcpPort, bfcpTls12
                        ? TlsPolicy.tls13Only().withTls12EcdhePsk() : TlsPolicy.tls13Only()) : null);
    }

    @Override
    public Integer call() throws Exception {
        verbosity.apply();
        config.requireReadable();
        HostPort listen = party.sip.listen();
        String transport = party.sip.transport();
        Directory directory = party.directory();
        // the token file first: a bad one stops the server before any SIP
        ConferenceOps ops = admin.enabled() ? ConferenceOps.prepare(admin.config(party.kmsUrls())) : null;
        KmsClient client = party.kmsClient();
        RelayMedia media = RelayMedia.start(InetAddress.getByName(party.sip.mediaBind));
        ConferenceServer server;
        try {
            server = ConferenceServer.start(serverConfig(listen, directory, party.keyAgent(client), media, ops));
        } catch (RuntimeException | java.io.IOException e) {
            media.close();
            client.close();
            if (ops != null) {
                ops.close();
            }
            throw e;
        }
        server.register(directory, transport);
        if (ops != null) {
            try {
                ops.start(server, media.relay());
                admin.publishUrl(ops.uri());
            } catch (RuntimeException e) {
                SipStacks.closeAll(List.of(server));
                media.close();
                client.close();
                ops.close();
                throw e;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("conference server: factory " + server.factoryUri() + " at " + server.contact(transport)
                + " (udp and tcp), KMS " + party.kmsUrls() + ", media relay on " + party.sip.mediaBind);
        if (ops != null) {
            out.println("admin interface: " + ops.uri() + " (API /api, metrics /metrics, console /console/; token "
                    + ops.token().file() + ")");
        }
        out.flush();
        CountDownLatch stop = stopForTests != null ? stopForTests : new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(5, java.util.concurrent.TimeUnit.SECONDS); // let the stacks say goodbye first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "conference-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stop.await();
        } finally {
            LOG.info("stopping the conference server");
            SipStacks.closeAll(List.of(server));
            if (ops != null) {
                ops.close();
            }
            media.close();
            client.close();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting
            }
        }
        return 0;
    }
}
