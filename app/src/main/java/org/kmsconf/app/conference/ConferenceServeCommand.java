package org.kmsconf.app.conference;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kmsconf.app.config.FlowLog;
import org.kmsconf.app.config.HostPort;
import org.kmsconf.app.config.PartyOptions;
import org.kmsconf.app.config.Verbosity;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.sip.ConferenceServer;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.conference.RelayMedia;
import org.kmsconf.sip.stack.SipNode;
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

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file supplying options not given here.")
    Path config;

    @Option(names = "--factory", paramLabel = "URI", defaultValue = "sip:factory.conference1@operator",
            description = "The factory's public identity (default ${DEFAULT-VALUE}).")
    String factory;

    @Option(names = "--focus-pattern", paramLabel = "URI",
            description = "Focus URIs to allocate, {N} = a counter (default: sip:focus{N}.<suffix>@<domain> for "
                    + "factory sip:factory.<suffix>@<domain>, the KMS's default rule).")
    String focusPattern;

    @Option(names = "--allowed-creators", paramLabel = "URI", split = ",",
            description = "Conference policy of the conference system: only these may create conferences "
                    + "(default: left to the KMS's policy at resolve).")
    List<String> allowedCreators;

    @Option(names = "--participants-may-refer",
            description = "Let participants other than the owner ask the focus to call someone out.")
    boolean participantsMayRefer;

    @Option(names = "--sip-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for a SIP answer (default ${DEFAULT-VALUE}).")
    int sipTimeout;

    @Mixin
    PartyOptions party = new PartyOptions();

    @Mixin
    Verbosity verbosity = new Verbosity();

    /** Counted down by a test to stop the server; a real run stops on SIGINT/SIGTERM. */
    static volatile CountDownLatch stopForTests;

    @Override
    public Integer call() throws Exception {
        verbosity.apply();
        if (config != null && !Files.isReadable(config)) {
            throw new IllegalArgumentException("cannot read --config " + config);
        }
        HostPort listen = party.sip.listen();
        String transport = party.sip.transport();
        Directory directory = party.directory();
        KmsClient client = party.kmsClient();
        RelayMedia media = RelayMedia.start(InetAddress.getByName(party.sip.mediaBind));
        ConferenceServer server;
        try {
            server = ConferenceServer.start(new ConferenceServer.Config(factory, focusPattern, listen.host(),
                    listen.port(), directory, party.keyAgent(client),
                    allowedCreators == null ? null : Set.copyOf(allowedCreators), participantsMayRefer, media,
                    new FlowLog("conference"), null, Duration.ofSeconds(sipTimeout)));
        } catch (RuntimeException | java.io.IOException e) {
            media.close();
            client.close();
            throw e;
        }
        server.register(directory, transport);
        PrintWriter out = spec.commandLine().getOut();
        out.println("conference server: factory " + server.factoryUri() + " at " + server.contact(transport)
                + " (udp and tcp), KMS " + party.kmsUrls() + ", media relay on " + party.sip.mediaBind);
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
            List<AutoCloseable> nodes = new ArrayList<>();
            nodes.add(server);
            SipNode.closeAll(nodes);
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
