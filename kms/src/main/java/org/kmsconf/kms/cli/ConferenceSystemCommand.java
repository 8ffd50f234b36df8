package org.kmsconf.kms.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.store.ConferenceFactory;
import org.kmsconf.kms.store.KmsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kmsconf conference-system add-factory|remove-factory|list}: factories and the focus URIs they may create. */
@Command(name = "conference-system", mixinStandardHelpOptions = true,
        description = {"Manage conference factories: public identities of the conference-system user, and which"
            + " conference (focus) URIs each may create (TR 33.829 clause 5.3.3.3.1)."},
        subcommands = {ConferenceSystemCommand.AddFactory.class, ConferenceSystemCommand.RemoveFactory.class,
            ConferenceSystemCommand.ListFactories.class})
public final class ConferenceSystemCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add-factory", mixinStandardHelpOptions = true,
            description = {"Make a public identity of the conference-system user a factory (replacing an earlier"
                + " setting). Focus URIs: --rule (placeholders {N} {ID} {suffix} {host}) and/or --focus; with neither,"
                + " the rule focus{N}.{suffix} applies (sip:factory.conference1@operator -> sip:focus7.conference1@operator)."})
    static final class AddFactory extends AdminCall {

        @Parameters(index = "0", paramLabel = "FACTORY-URI")
        String factoryUri;

        @Option(names = "--rule", paramLabel = "PATTERN", description = "Naming rule for focus URIs.")
        String rule;

        @Option(names = "--focus", paramLabel = "URI", description = "An allowed focus URI; repeat for several.")
        List<String> focus = new ArrayList<>();

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                ConferenceFactory f = new KmsAdmin(s).addFactory(factoryUri, rule, focus);
                print(f);
            }
            return 0;
        }
    }

    @Command(name = "remove-factory", mixinStandardHelpOptions = true, description = "Stop treating a URI as a factory.")
    static final class RemoveFactory extends AdminCall {

        @Parameters(index = "0", paramLabel = "FACTORY-URI")
        String factoryUri;

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                new KmsAdmin(s).removeFactory(factoryUri);
                AdminContext.out().println("factory " + factoryUri + " removed");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List factories and their focus rules.")
    static final class ListFactories extends AdminCall {

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                s.conferenceSystems().list().forEach(ConferenceSystemCommand::print);
            }
            return 0;
        }
    }

    static void print(ConferenceFactory f) {
        AdminContext.out().println("factory " + f.factoryUri() + " (user " + f.userId() + ")");
        if (f.rule() != null) {
            AdminContext.out().println("  rule:  " + f.rule().template() + "  e.g. " + f.rule().example(f.factoryUri(), 7));
        }
        for (String u : f.focusUris()) {
            AdminContext.out().println("  focus: " + u);
        }
    }
}
