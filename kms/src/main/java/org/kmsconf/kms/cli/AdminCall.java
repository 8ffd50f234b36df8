package org.kmsconf.kms.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kmsconf.kms.admin.AdminClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * An administrative command ({@code user}, {@code conference-system}, {@code policy}, {@code kms audit},
 * {@code kms rotate-ticket-key}). When a KMS is running on the store, the command is sent to that KMS's admin socket
 * and runs there, on the KMS's open store (the embedded store is locked by the KMS and has no network listener);
 * otherwise it runs here, directly on the store. A secret the command reads ({@code --psk-file}, {@code --psk-env}) is
 * read here and travels on the socket, never in an argument.
 */
public abstract class AdminCall implements Callable<Integer> {
    @Mixin
    protected StoreOptions store;

    @Spec
    protected CommandSpec spec;

    /** The command itself, on {@link StoreOptions#openStore()}, writing to {@link AdminContext#out()}. */
    protected abstract Integer local() throws Exception;

    @Override
    public final Integer call() throws Exception {
        if (AdminContext.serving()) {
            return local();
        }
        Path socket = store.adminSocket();
        if (socket != null && Files.exists(socket)) {
            List<String> args = forwardedArgs();
            byte[] stdin = secretInput(args);
            AdminClient.Reply r = AdminClient.send(socket, args, stdin);
            if (r != null) {
                System.out.print(new String(r.out(), StandardCharsets.UTF_8));
                System.out.flush();
                System.err.print(new String(r.err(), StandardCharsets.UTF_8));
                System.err.flush();
                return r.exitCode();
            }
            // a socket file without a KMS behind it (left by a crash): the store is free, work on it directly
        }
        return local();
    }

    /** The command as typed, from its top-level group ({@code user add alice ...}). */
    private List<String> forwardedArgs() {
        CommandSpec group = spec;
        List<String> names = new ArrayList<>();
        while (group != null && !(group.userObject() instanceof UserCommand
                || group.userObject() instanceof ConferenceSystemCommand || group.userObject() instanceof PolicyCommand
                || group.userObject() instanceof KmsCommand)) {
            names.add(0, group.name());
            group = group.parent();
        }
        if (group == null) {
            throw new IllegalStateException("not an admin command: " + spec.qualifiedName());
        }
        List<String> orig = spec.commandLine().getParseResult().originalArgs();
        int at = group.parent() == null ? -1 : orig.indexOf(group.name());
        List<String> out = new ArrayList<>();
        out.add(group.name());
        out.addAll(orig.subList(at + 1, orig.size()));
        return out;
    }

    /**
     * Reads a PSK named by {@code --psk-file FILE|-} or {@code --psk-env VAR} here (the KMS cannot see this process's
     * files, input or environment) and rewrites the option to {@code --psk-file -}: the key goes on the socket as
     * the command's input.
     */
    private static byte[] secretInput(List<String> args) throws IOException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String opt = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!opt.equals("--psk-file") && !opt.equals("--psk-env")) {
                continue;
            }
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
                args.remove(i);
            } else {
                if (i + 1 >= args.size()) {
                    return null; // picocli reports the missing value
                }
                value = args.get(i + 1);
                args.remove(i + 1);
                args.remove(i);
            }
            args.add(i, "--psk-file");
            args.add(i + 1, "-");
            return PskInput.read(opt.equals("--psk-env") ? null : value, opt.equals("--psk-env") ? value : null)
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return new byte[0];
    }
}
