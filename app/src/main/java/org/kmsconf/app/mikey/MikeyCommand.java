package org.kmsconf.app.mikey;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kmsconf.mikey.MikeyException;
import org.kmsconf.mikey.print.MikeyInput;
import org.kmsconf.mikey.print.MikeyPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code kmsconf mikey ...}: tools for MIKEY messages. */
@Command(name = "mikey", mixinStandardHelpOptions = true,
        description = "Tools for MIKEY / MIKEY-TICKET messages (RFC 3830, RFC 6043).",
        subcommands = {MikeyCommand.Decode.class})
public final class MikeyCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code kmsconf mikey decode}: prints any MIKEY message as a readable tree or as JSON. */
    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = {
                "Decodes a MIKEY message and prints every header and payload field by name, including the RFC 6043"
                    + " ticket layers (TP Data, base ticket, Initiator Data). Encrypted KEMAC data is shown as"
                    + " ciphertext; only keys of a NULL-encrypted KEMAC are shown, labelled as in the clear.",
                "Exit code 0 when the message decodes, 2 for input that is not a MIKEY message."},
            footer = {"", "Examples:",
                "  kmsconf mikey decode AQAFgM0XflABAAAA...",
                "  kmsconf mikey decode 'a=key-mgmt:mikey AQ4FgAoLDA0CAgE...'",
                "  grep key-mgmt call.sdp | kmsconf mikey decode --json -",
                "  kmsconf mikey decode --file request.mikey"})
    static final class Decode implements Callable<Integer> {
        /** Bigger than any MIKEY message (the longest length field is 16 bits per payload). */
        static final int MAX_INPUT = 1 << 20;

        @Parameters(index = "0", arity = "0..1", paramLabel = "MESSAGE",
                description = "The message as hex, base64, an 'a=key-mgmt:mikey <base64>' SDP line (or a whole SDP"
                        + " body), an RTSP KeyMgmt header, or '-' to read any of these from standard input.")
        String message;

        @Option(names = "--file", paramLabel = "FILE",
                description = "Read the message from FILE: binary MIKEY, or text in any form MESSAGE accepts.")
        Path file;

        @Option(names = "--json", description = "Print JSON for machines instead of the text tree.")
        boolean json;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine cl = spec.commandLine();
            if ((message == null) == (file == null)) {
                throw new CommandLine.ParameterException(cl, "give exactly one of MESSAGE, '-' or --file FILE");
            }
            PrintWriter out = cl.getOut();
            try {
                byte[] wire = read();
                out.print(json ? MikeyPrinter.json(wire) : MikeyPrinter.text(wire));
                out.flush();
                return 0;
            } catch (MikeyException | IllegalArgumentException e) {
                return fail(cl, e.getMessage());
            } catch (NoSuchFileException e) {
                return fail(cl, "no such file: " + e.getFile());
            } catch (IOException e) {
                return fail(cl, "cannot read input: " + e.getMessage());
            }
        }

        private byte[] read() throws IOException {
            if (file != null) {
                if (Files.size(file) > MAX_INPUT) {
                    throw new IllegalArgumentException(file + " is larger than any MIKEY message");
                }
                return MikeyInput.parse(Files.readAllBytes(file));
            }
            if (message.equals("-")) {
                return MikeyInput.parse(readStdin(System.in));
            }
            return MikeyInput.parse(message);
        }

        private static byte[] readStdin(InputStream in) throws IOException {
            byte[] b = in.readNBytes(MAX_INPUT + 1);
            if (b.length > MAX_INPUT) {
                throw new IllegalArgumentException("standard input is larger than any MIKEY message");
            }
            return b;
        }

        private static int fail(CommandLine cl, String message) {
            cl.getErr().println("kmsconf mikey decode: " + message);
            cl.getErr().flush();
            return 2;
        }
    }
}
