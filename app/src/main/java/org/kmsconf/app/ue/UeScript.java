package org.kmsconf.app.ue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kmsconf.app.config.IoErrors;

/**
 * A user agent's script: one action per line (or one on the command line), {@code #} starts a comment.
 *
 * <pre>
 * create  &lt;factory-uri&gt; [participant-uri...]   flow 1; the focus URI it returns becomes $focus
 * join    &lt;focus-uri&gt; [allowed-uri...]          flows 2/3 (with URIs: the owner also sets the allowed set)
 * invite  &lt;focus-uri&gt; &lt;user-uri&gt;               flow 4: REFER the focus to call the user out
 * refer   &lt;user-uri&gt; &lt;focus-uri&gt;               flow 5: REFER the user to the conference
 * update  &lt;focus-uri&gt; [allowed-uri...]         the owner replaces the allowed set (UPDATE, new ticket); none: empties it
 * remove  &lt;focus-uri&gt; &lt;user-uri&gt;               the owner removes a participant (REFER with method=BYE)
 * leave   &lt;focus-uri&gt;                          BYE
 * wait    &lt;seconds&gt;                            stay (answering calls and REFERs, media flowing)
 * request-floor &lt;focus-uri&gt;                    BFCP FloorRequest for the audio (re-INVITE with BFCP first if needed)
 * release-floor &lt;focus-uri&gt;                    BFCP FloorRelease of our request
 * grant-floor   &lt;focus-uri&gt; &lt;user-uri&gt;         the chair (owner) grants the user's request: the floor moves
 * deny-floor    &lt;focus-uri&gt; &lt;user-uri&gt;         the chair denies it
 * revoke-floor  &lt;focus-uri&gt; &lt;user-uri&gt;         the chair takes the floor back
 * </pre>
 * {@code $focus} in an argument stands for the focus URI of the last {@code create}.
 */
public record UeScript(List<Action> actions) {

    /** The verbs of the script. */
    public enum Verb {
        CREATE(1, Integer.MAX_VALUE), JOIN(1, Integer.MAX_VALUE), INVITE(2, 2), REFER(2, 2),
        UPDATE(1, Integer.MAX_VALUE), REMOVE(2, 2), LEAVE(1, 1), WAIT(1, 1), REQUEST_FLOOR(1, 1), RELEASE_FLOOR(1, 1),
        GRANT_FLOOR(2, 2), DENY_FLOOR(2, 2), REVOKE_FLOOR(2, 2);

        /** The verb as a script writes it ({@code request-floor}). */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        final int minArgs;
        final int maxArgs;

        Verb(int minArgs, int maxArgs) {
            this.minArgs = minArgs;
            this.maxArgs = maxArgs;
        }
    }

    /** One line of a script. */
    public record Action(Verb verb, List<String> args, String source) {
        public Action {
            args = List.copyOf(args);
        }

        /** The arguments with {@code $focus} replaced. */
        public List<String> resolved(String focus) {
            List<String> out = new ArrayList<>();
            for (String a : args) {
                if (a.contains("$focus")) {
                    if (focus == null) {
                        throw new IllegalArgumentException(source + ": $focus used before any create");
                    }
                    out.add(a.replace("$focus", focus));
                } else {
                    out.add(a);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return verb.word() + (args.isEmpty() ? "" : " " + String.join(" ", args));
        }
    }

    public UeScript {
        actions = List.copyOf(actions);
    }

    public static UeScript read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** Parses lines; a bad line is an {@link IllegalArgumentException} naming where it is. */
    public static UeScript parse(List<String> lines, String source) {
        List<Action> actions = new ArrayList<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (!line.isEmpty()) {
                actions.add(parseAction(List.of(line.split("\\s+")), source + ":" + n));
            }
        }
        return new UeScript(actions);
    }

    /** One action from words ({@code create sip:factory... sip:bob@operator}). */
    public static Action parseAction(List<String> words, String where) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException(where + ": empty action");
        }
        Verb verb;
        try {
            verb = Verb.valueOf(words.get(0).toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": unknown action '" + words.get(0) + "' ("
                    + String.join(", ", java.util.Arrays.stream(Verb.values()).map(Verb::word).toList()) + ")");
        }
        List<String> args = words.subList(1, words.size());
        if (args.size() < verb.minArgs || args.size() > verb.maxArgs) {
            throw new IllegalArgumentException(where + ": '" + words.get(0) + "' takes "
                    + (verb.minArgs == verb.maxArgs ? verb.minArgs : verb.minArgs + " or more") + " argument(s)");
        }
        if (verb == Verb.WAIT) {
            try {
                double s = Double.parseDouble(args.get(0));
                if (!(s >= 0 && s <= 86_400)) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": wait takes a number of seconds");
            }
        } else {
            for (String a : args) {
                if (!a.startsWith("sip:") && !a.contains("$focus")) {
                    throw new IllegalArgumentException(where + ": '" + a + "' is not a sip: URI");
                }
            }
        }
        return new Action(verb, args, where);
    }
}
