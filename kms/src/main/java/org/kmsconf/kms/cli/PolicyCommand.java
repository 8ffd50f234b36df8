package org.kmsconf.kms.cli;

import java.util.concurrent.Callable;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.policy.PolicyRule;
import org.kmsconf.kms.store.KmsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kmsconf policy allow|deny|list|remove}: who may hold a secure session with whom. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Rules on (initiator, responder) identity pairs; * matches any characters. The first"
            + " matching rule (in order of addition) decides; none matching means the default (kms.policy.default,"
            + " allow unless configured)."},
        subcommands = {PolicyCommand.Allow.class, PolicyCommand.Deny.class, PolicyCommand.ListRules.class,
            PolicyCommand.Remove.class})
public final class PolicyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class AddRule extends AdminCall {

        @Option(names = "--from", required = true, paramLabel = "PATTERN",
                description = "Initiator identity pattern, e.g. sip:*@partner.example")
        String from;

        @Option(names = "--to", required = true, paramLabel = "PATTERN",
                description = "Responder identity pattern, e.g. sip:factory.*@operator")
        String to;

        abstract PolicyRule add(KmsAdmin admin);

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                PolicyRule r = add(new KmsAdmin(s));
                AdminContext.out().println("rule " + r.id() + ": " + r.action() + " " + r.fromPattern() + " -> "
                        + r.toPattern());
            }
            return 0;
        }
    }

    @Command(name = "allow", mixinStandardHelpOptions = true, description = "Append an allow rule.")
    static final class Allow extends AddRule {
        @Override
        PolicyRule add(KmsAdmin admin) {
            return admin.allow(from, to);
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Append a deny rule.")
    static final class Deny extends AddRule {
        @Override
        PolicyRule add(KmsAdmin admin) {
            return admin.deny(from, to);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the rules in evaluation order.")
    static final class ListRules extends AdminCall {

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                for (PolicyRule r : s.policy().list()) {
                    AdminContext.out().println("rule " + r.id() + ": " + r.action() + " " + r.fromPattern() + " -> "
                            + r.toPattern());
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a rule by its id.")
    static final class Remove extends AdminCall {

        @Parameters(index = "0", paramLabel = "RULE-ID")
        long id;

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                new KmsAdmin(s).removeRule(id);
                AdminContext.out().println("rule " + id + " removed");
            }
            return 0;
        }
    }
}
