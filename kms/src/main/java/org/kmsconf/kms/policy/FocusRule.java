package org.kmsconf.kms.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which conference (focus) URIs a factory may create, as a naming rule (TR 33.829 clause 5.3.3.3.1: factory
 * {@code factory.conference1@operator} creates {@code focusX.conference1@operator}).
 *
 * <p>The rule is a template for the focus URI's user part; scheme and host are the factory's. A template that
 * starts with a scheme ({@code sip:}) is a template of the whole URI. Placeholders:
 * <ul>
 * <li>{@code {N}}: the conference number, 1 to 20 decimal digits (an unsigned 64-bit number: the conference server
 *     allocates random ones, so that the next focus URI cannot be guessed);</li>
 * <li>{@code {ID}}: a conference identifier, 1 to 64 characters of {@code A-Z a-z 0-9 -};</li>
 * <li>{@code {suffix}}: the factory's user part after its first dot ({@code conference1} for
 *     {@code factory.conference1}), or the whole user part if it has no dot;</li>
 * <li>{@code {host}}: the factory's host part.</li>
 * </ul>
 * The default rule {@value #DEFAULT} maps {@code sip:factory.conference1@operator} to
 * {@code sip:focus7.conference1@operator}. The factory URI itself never matches.
 */
public final class FocusRule {
    public static final String DEFAULT = "focus{N}.{suffix}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(N|ID|suffix|host)}");

    private final String template;
    private volatile Compiled compiled;

    private FocusRule(String template) {
        this.template = template;
    }

    public static FocusRule of(String template) {
        if (template == null || template.isBlank() || template.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a focus rule must be a non-empty template without spaces");
        }
        String rest = PLACEHOLDER.matcher(template).replaceAll("");
        if (rest.contains("{") || rest.contains("}")) {
            throw new IllegalArgumentException("unknown placeholder in focus rule '" + template
                    + "' (known: {N} {ID} {suffix} {host})");
        }
        if (!template.contains("{N}") && !template.contains("{ID}")) {
            throw new IllegalArgumentException("focus rule '" + template + "' needs {N} or {ID} so that each"
                    + " conference gets its own URI");
        }
        return new FocusRule(template);
    }

    public String template() {
        return template;
    }

    /** Whether {@code focusUri} is a conference URI that {@code factoryUri} may create under this rule. */
    public boolean allows(String factoryUri, String focusUri) {
        if (focusUri.equals(factoryUri)) {
            return false;
        }
        Pattern p = patternFor(factoryUri);
        return p != null && p.matcher(focusUri).matches();
    }

    /**
     * The focus URIs of {@code factoryUri} as a regular expression; null when the factory URI has no scheme. The last
     * one is kept: a rule serves one factory (or a few), and compiling it costs more than the rest of a RESOLVE's
     * policy check. One entry, so a caller naming many factories costs time, never memory.
     */
    private Pattern patternFor(String factoryUri) {
        Compiled c = compiled;
        if (c != null && c.factoryUri.equals(factoryUri)) {
            return c.pattern;
        }
        Parts f = Parts.of(factoryUri);
        if (f == null) {
            return null;
        }
        boolean whole = template.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
        StringBuilder regex = new StringBuilder();
        if (!whole) {
            regex.append(Pattern.quote(f.scheme + ":"));
        }
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append(switch (m.group(1)) {
                case "N" -> "[0-9]{1,20}";
                case "ID" -> "[A-Za-z0-9-]{1,64}";
                case "suffix" -> Pattern.quote(f.suffix());
                case "host" -> Pattern.quote(f.host);
                default -> throw new IllegalStateException();
            });
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        if (!whole && f.host != null && !template.contains("@")) {
            regex.append(Pattern.quote("@" + f.host));
        }
        Pattern p = Pattern.compile(regex.toString());
        compiled = new Compiled(factoryUri, p);
        return p;
    }

    private record Compiled(String factoryUri, Pattern pattern) {
    }

    /** Example focus URI (conference number {@code n}) for documentation and CLI output. */
    public String example(String factoryUri, long n) {
        Parts f = Parts.of(factoryUri);
        if (f == null) {
            return "";
        }
        String s = template.replace("{N}", Long.toString(n)).replace("{ID}", "c" + n)
                .replace("{suffix}", f.suffix()).replace("{host}", f.host == null ? "" : f.host);
        boolean whole = template.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
        if (whole) {
            return s;
        }
        return f.scheme + ":" + s + (f.host != null && !template.contains("@") ? "@" + f.host : "");
    }

    @Override
    public String toString() {
        return template;
    }

    /** scheme:user@host split of a SIP-like URI (parameters after ';' are kept in the host part). */
    private record Parts(String scheme, String user, String host) {
        static Parts of(String uri) {
            int colon = uri.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            String rest = uri.substring(colon + 1);
            int at = rest.lastIndexOf('@');
            return at < 0 ? new Parts(uri.substring(0, colon), rest, null)
                    : new Parts(uri.substring(0, colon), rest.substring(0, at), rest.substring(at + 1));
        }

        String suffix() {
            int dot = user.indexOf('.');
            return dot < 0 ? user : user.substring(dot + 1);
        }
    }
}
