package org.kmsconf.app.ue;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kmsconf.app.config.HostPort;
import org.kmsconf.app.config.ConfigFileOption;
import org.kmsconf.app.config.PartyOptions;
import org.kmsconf.app.config.Verbosity;
import org.kmsconf.app.trace.FlowLog;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.sip.Directory;
import org.kmsconf.sip.FlowFailedException;
import org.kmsconf.sip.stack.SipStacks;
import org.kmsconf.sip.ue.AnswerPolicy;
import org.kmsconf.sip.ue.Call;
import org.kmsconf.sip.ue.UeConfig;
import org.kmsconf.sip.ue.UserAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmsconf ue}: one user agent that runs an action (or a script of them) and, while it runs, answers the
 * focus's call-outs (flow 4) and follows REFERs from authenticated users (flow 5), sending a tone on every call.
 */
@Command(name = "ue", mixinStandardHelpOptions = true,
        header = "A user agent: create, join, invite, refer, update, remove, leave; roster and floor control.",
        sortOptions = false,
        description = {
            "A user agent. Creates a conference (flow 1), joins one (flows 2, 3), asks",
            "the focus to call someone out (flow 4, REFER to the focus), refers a user",
            "to a conference (flow 5), updates the allowed set, leaves. While it runs",
            "it answers the focus's call-outs and REFERs from authenticated users as",
            "--answer says, and sends SRTP on every call.",
            "",
            "Actions, on the command line or one per line in --script FILE:",
            "  create <factory-uri> [participant-uri...]  ($focus = the new focus URI)",
            "  join <focus-uri> [allowed-uri...]",
            "  invite <focus-uri> <user-uri>",
            "  refer <user-uri> <focus-uri>",
            "  update <focus-uri> [allowed-uri...]  (none: the owner empties the set)",
            "  remove <focus-uri> <user-uri>  (the owner takes a participant out)",
            "  leave <focus-uri>",
            "  wait <seconds>",
            "  request-floor <focus-uri>  (BFCP; asks for floor control first if needed)",
            "  release-floor <focus-uri>",
            "  grant-floor|deny-floor|revoke-floor <focus-uri> <user-uri>  (the owner)",
            "",
            "While it runs it follows the roster of each conference it is in (the",
            "conference event package, each NOTIFY sealed for this user's leg) and",
            "prints who joins, leaves or is removed, with their SSRCs; with",
            "--floor-control it also prints who holds the floor.",
            "",
            "Options can also come from --config FILE (a properties file, keys = long",
            "option names without dashes). Exit status 0 if every action succeeded,",
            "1 at the first that failed, 2 on bad input.",
            ""
        },
        footer = {"", "Example:",
            "  kmsconf ue --identity sip:alice@operator --key-id 0a0b0c0d0e0f1011 \\",
            "    --psk-file alice.psk --kms http://127.0.0.1:8180/kms \\",
            "    --sip-listen 127.0.0.1:5071 --directory dir.txt \\",
            "    create sip:factory.conference1@operator sip:bob@operator"})
public final class UeCommand implements Callable<Integer> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Option(names = "--identity", paramLabel = "URI", required = true,
            description = "This user's public identity, e.g. sip:alice@operator.")
    String identity;

    @Option(names = "--script", paramLabel = "FILE", description = "Run the actions in FILE, one per line.")
    Path script;

    @Option(names = "--stay", paramLabel = "SECONDS", defaultValue = "0",
            description = "After the actions, keep running this long (answering calls and REFERs); -1 = until "
                    + "stopped (default ${DEFAULT-VALUE}).")
    double stay;

    @Option(names = "--until-calls-end",
            description = "With --stay: stop earlier, as soon as this UE has had calls and all of them have ended.")
    boolean untilCallsEnd;

    @Option(names = "--no-media", description = "Do not send or receive SRTP on calls (signalling only).")
    boolean noMedia;

    @Option(names = "--answer", paramLabel = "always|never|ask", defaultValue = "always",
            description = "Whether to answer a focus that calls this user out (flow 4) and to follow an "
                    + "authenticated REFER to a conference (flow 5): always, never, or ask on the terminal "
                    + "(y/n within the SIP timeout). A refusal is 603 Decline (default ${DEFAULT-VALUE}).")
    String answer;

    @Option(names = "--no-subscribe",
            description = "Do not subscribe to the conference state (the roster) of the conferences joined.")
    boolean noSubscribe;

    @Option(names = "--floor-control",
            description = "Ask for floor control (BFCP over TLS with a PSK from the leg's MIKEY exchange): a created "
                    + "conference is moderated by its owner, and each join carries a BFCP stream.")
    boolean floorControl;

    @Option(names = "--json", description = "Print roster and floor changes as JSON objects, one per line.")
    boolean json;

    @Mixin
    PartyOptions party = new PartyOptions();

    @Mixin
    Verbosity verbosity = new Verbosity();

    @Parameters(paramLabel = "ACTION", description = "One action and its arguments (instead of --script).")
    List<String> action = new ArrayList<>();

    /** Whether this UE has been in a call (ended calls leave the user agent's list). */
    private volatile boolean hadCall;

    /** Keeps the UE running for --stay seconds (forever if negative), or until its calls are over. */
    private void stay(UserAgent ua) throws InterruptedException {
        long end = stay < 0 ? Long.MAX_VALUE : System.currentTimeMillis() + (long) (stay * 1000);
        while (System.currentTimeMillis() < end) {
            Thread.sleep(50);
            if (!ua.calls().isEmpty()) {
                hadCall = true;
            }
            if (untilCallsEnd && hadCall && ua.calls().stream().noneMatch(Call::isActive)) {
                return;
            }
        }
    }

    private AnswerPolicy answerPolicy(PrintWriter out) {
        if (!answer.equalsIgnoreCase("ask")) {
            return AnswerPolicy.parse(answer);
        }
        return AnswerPolicy.ask(new TerminalQuestion(out, System.in, Duration.ofSeconds(Math.max(1, party.sip.sipTimeout - 1))));
    }

    @Override
    public Integer call() throws Exception {
        verbosity.apply();
        config.requireReadable();
        UeScript actions;
        if (script != null && !action.isEmpty()) {
            throw new IllegalArgumentException("give either --script FILE or one action, not both");
        } else if (script != null) {
            actions = UeScript.read(script);
        } else if (!action.isEmpty()) {
            actions = new UeScript(List.of(UeScript.parseAction(action, "command line")));
        } else {
            actions = new UeScript(List.of());
        }
        if (actions.actions().isEmpty() && stay == 0) {
            throw new IllegalArgumentException("nothing to do: give an action, --script FILE or --stay SECONDS");
        }
        HostPort listen = party.sip.listen();
        String transport = party.sip.transport();
        Directory directory = party.directory();
        KmsClient client = party.kmsClient();
        PrintWriter out = spec.commandLine().getOut();
        UserAgent ua;
        UeMedia media = noMedia ? null : new UeMedia(party.sip.mediaBind, out);
        try {
            InetSocketAddress mediaAddr = media == null ? new InetSocketAddress(party.sip.mediaBind, 0)
                    : media.advertised();
            ua = UserAgent.start(UeConfig.of(identity, listen.host(), listen.port(), mediaAddr, directory,
                    party.keyAgent(client)).withTrace(new FlowLog("ue")).withTimeout(party.sip.timeout())
                    .withAnswer(answerPolicy(out)).withSubscribe(!noSubscribe).withFloorControl(floorControl));
        } catch (RuntimeException | java.io.IOException e) {
            client.close();
            throw e;
        }
        directory.put(ua.identity(), ua.contact(transport));
        out.println("ue " + ua.identity() + " at " + ua.contact(transport) + ", KMS " + party.kmsUrls());
        out.flush();
        boolean ok;
        try {
            ua.setCallListener(call -> {
                hadCall = true;
                if (media != null) {
                    media.start(call);
                }
            });
            UeEvents events = new UeEvents(out, json);
            ua.setRosterListener(events);
            ua.setFloorListener(events);
            ok = new UeRunner(ua, out, media, floorControl).run(actions);
            if (ok && stay != 0) {
                stay(ua);
            }
        } finally {
            if (media != null) {
                media.close();
            }
            for (Call c : ua.calls()) { // hang up what is still up: the focus should not keep a dead leg
                if (c.isActive()) {
                    try {
                        ua.leave(c.peer());
                    } catch (FlowFailedException e) {
                        LOG.warn("could not leave {}: {}", c.peer(), e.getMessage());
                    }
                }
            }
            SipStacks.closeAll(List.of(ua));
            client.close();
        }
        return ok ? 0 : 1;
    }
}
