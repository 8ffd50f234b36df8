package org.kmsconf.kms.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.kmsconf.kms.KmsAdmin;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.store.KmsStore;
import org.kmsconf.kms.store.KmsUser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kmsconf user add|list|show|disable|enable|rotate-key|add-identity|grant|revoke}: KMS users. */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage KMS users: identities, pre-shared keys, rights. Works directly on the store.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Show.class,
            UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.RotateKey.class,
            UserCommand.AddIdentity.class, UserCommand.SetRight.class})
public final class UserCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final String WARNING = "WARNING: this is the only time the KMS shows this pre-shared key. Configure it"
            + " in the user's device now and keep it secret; it cannot be shown again (rotate-key makes a new one).";

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a user with one or more public identities. The KMS generates the pre-shared key"
                + " (SecureRandom) unless --psk-file/--psk-env imports one, and prints it ONCE. Never give a key as"
                + " an argument: arguments are visible to every local user (ps)."})
    static final class Add extends AdminCall {

        @Parameters(index = "0", paramLabel = "USER-ID", description = "The KMS user identity, e.g. alice.")
        String userId;

        @Option(names = "--identity", required = true, paramLabel = "URI",
                description = "A public identity (SIP URI) of the user; repeat for several.")
        List<String> identities = new ArrayList<>();

        @Mixin
        PskOptions psk;

        @Option(names = "--key-id-hex", paramLabel = "HEX",
                description = "Key id (IDRpsk byte string) to use instead of a generated one.")
        String keyIdHex;

        @Option(names = "--can-create-conferences", description = "Allow this user to create secure conferences.")
        boolean canCreate;

        @Override
        protected Integer local() throws java.io.IOException {
            byte[] imported = psk.imported();
            try {
                NewUser u = new NewUser(userId, identities, canCreate,
                        imported != null ? imported.length * 8 : psk.bits, imported,
                        keyIdHex != null ? hex(keyIdHex, "--key-id-hex") : null);
                try (KmsStore s = store.openStore()) {
                    ProvisionedKey k = new KmsAdmin(s).addUser(u);
                    printKey("user " + k.userId() + " added", k, imported != null);
                    k.destroy();
                }
            } finally {
                if (imported != null) {
                    java.util.Arrays.fill(imported, (byte) 0);
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users (never keys).")
    static final class ListUsers extends AdminCall {

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                AdminContext.out().printf("%-20s %-8s %-11s %-18s %s%n", "USER", "ENABLED", "CONFERENCES", "KEY ID",
                        "IDENTITIES");
                for (KmsUser u : s.users().list()) {
                    AdminContext.out().printf("%-20s %-8s %-11s %-18s %s%n", u.userId(), u.enabled() ? "yes" : "no",
                            u.canCreateConferences() ? "yes" : "no", u.activeKeyIdHex(), String.join(" ",
                                    u.identities()));
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one user (never its key).")
    static final class Show extends AdminCall {

        @Parameters(index = "0", paramLabel = "USER-ID")
        String userId;

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                KmsUser u = s.users().find(userId)
                        .orElseThrow(() -> new IllegalArgumentException("no such user: " + userId));
                AdminContext.out().println("user:                   " + u.userId());
                AdminContext.out().println("enabled:                " + u.enabled());
                AdminContext.out().println("can create conferences: " + u.canCreateConferences());
                AdminContext.out().println("key id (IDRpsk, hex):   " + u.activeKeyIdHex() + " (" + u.keyBits() + " bit)");
                AdminContext.out().println("created:                " + u.createdAt());
                for (String id : u.identities()) {
                    AdminContext.out().println("identity:               " + id);
                }
                s.conferenceSystems().factoriesOfUser(userId).forEach(f -> AdminContext.out().println(
                        "factory:                " + f.factoryUri() + " rule=" + f.rule() + " list=" + f.focusUris()));
            }
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable a user: its requests and resolves are refused, and tickets naming it too.")
    static final class Disable extends AdminCall {

        @Parameters(index = "0", paramLabel = "USER-ID")
        String userId;

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                new KmsAdmin(s).disableUser(userId);
                AdminContext.out().println("user " + userId + " disabled");
            }
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled user again.")
    static final class Enable extends AdminCall {

        @Parameters(index = "0", paramLabel = "USER-ID")
        String userId;

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                new KmsAdmin(s).enableUser(userId);
                AdminContext.out().println("user " + userId + " enabled");
            }
            return 0;
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "Give a user a new pre-shared key (printed ONCE); the old key stops working at once.")
    static final class RotateKey extends AdminCall {

        @Parameters(index = "0", paramLabel = "USER-ID")
        String userId;

        @Mixin
        PskOptions psk;

        @Override
        protected Integer local() throws java.io.IOException {
            byte[] imported = psk.imported();
            try (KmsStore s = store.openStore()) {
                ProvisionedKey k = new KmsAdmin(s).rotateKey(userId, psk.bits, imported);
                printKey("user " + userId + " has a new key", k, imported != null);
                k.destroy();
            } finally {
                if (imported != null) {
                    java.util.Arrays.fill(imported, (byte) 0);
                }
            }
            return 0;
        }
    }

    @Command(name = "add-identity", mixinStandardHelpOptions = true, description = "Add a public identity to a user.")
    static final class AddIdentity extends AdminCall {

        @Parameters(index = "0", paramLabel = "USER-ID")
        String userId;

        @Parameters(index = "1", paramLabel = "URI")
        String uri;

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                new KmsAdmin(s).addIdentity(userId, uri);
                AdminContext.out().println("identity " + uri + " added to user " + userId);
            }
            return 0;
        }
    }

    @Command(name = "set-conference-right", mixinStandardHelpOptions = true,
            description = "Grant (true) or revoke (false) a user's right to create secure conferences.")
    static final class SetRight extends AdminCall {

        @Parameters(index = "0", paramLabel = "USER-ID")
        String userId;

        @Parameters(index = "1", paramLabel = "true|false")
        boolean can;

        @Override
        protected Integer local() {
            try (KmsStore s = store.openStore()) {
                new KmsAdmin(s).setCanCreateConferences(userId, can);
                AdminContext.out().println("user " + userId + (can ? " may" : " may not") + " create conferences");
            }
            return 0;
        }
    }

    static void printKey(String headline, ProvisionedKey k, boolean imported) {
        PrintWriter out = new PrintWriter(AdminContext.out(), true);
        out.println(headline);
        out.println("  identities:           " + String.join(" ", k.identities()));
        out.println("  key id (IDRpsk, hex): " + k.keyIdHex());
        if (imported) {
            out.println("  pre-shared key:       imported (" + k.bits() + " bit), not shown");
        } else {
            out.println("  pre-shared key (hex): " + k.pskHex());
            AdminContext.err().println(WARNING);
        }
    }

    static byte[] hex(String v, String option) {
        try {
            return HexFormat.of().parseHex(v.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " is not an even number of hex digits");
        }
    }
}
