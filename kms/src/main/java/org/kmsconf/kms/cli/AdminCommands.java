package org.kmsconf.kms.cli;

import java.io.PrintWriter;
import org.kmsconf.kms.admin.AdminCommandRunner;
import org.kmsconf.kms.store.KmsStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command groups a running KMS's admin socket executes (the same classes as the CLI). */
@Command(name = "kmsconf", subcommands = {UserCommand.class, ConferenceSystemCommand.class, PolicyCommand.class,
    KmsCommand.class})
public final class AdminCommands implements Runnable {
    private AdminCommands() {
    }

    @Override
    public void run() {
        // a group is always named
    }

    /** Runs admin requests on the open {@code store} of a running KMS, each on a fresh command line. */
    public static AdminCommandRunner runner(KmsStore store) {
        return (args, out, err, in) -> {
            CommandLine cl = new CommandLine(new AdminCommands());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            cl.setExecutionExceptionHandler((ex, cmd, pr) -> {
                err.println("kmsconf: " + ex.getMessage());
                return 1;
            });
            return AdminContext.serve(store, out, err, in, () -> cl.execute(args.toArray(String[]::new)));
        };
    }
}
