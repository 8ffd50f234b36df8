package org.kmsconf.sip.conference;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How the conference system allocates focus URIs (TR 33.829 5.3.3.3.1: "either via a rule or an explicit list").
 * <ul>
 *   <li>Rule: a URI template with {@code {N}}, replaced by an unsigned 64-bit random number in decimal, so that a
 *       focus URI cannot be guessed before the factory allocates it (an attacker who could name the next focus URI
 *       in a ticket could pose as its creator);</li>
 *   <li>List: the given URIs, each used by one conference at a time.</li>
 * </ul>
 * The KMS holds the same rule or list for the factory; the conference server checks at start that the KMS lets it
 * resolve as the URIs it allocates ({@code org.kmsconf.sip.focus.FocusUriProbe}).
 */
public final class FocusUris {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String rule;
    private final List<String> list;

    private FocusUris(String rule, List<String> list) {
        this.rule = rule;
        this.list = list;
    }

    /** A rule such as {@code sip:focus{N}.conference1@operator}. */
    public static FocusUris rule(String template) {
        if (template == null || !template.contains("{N}") || template.indexOf("{N}") != template.lastIndexOf("{N}")) {
            throw new IllegalArgumentException("a focus rule needs exactly one {N}: " + template);
        }
        return new FocusUris(template, List.of());
    }

    /** An explicit list of focus URIs. */
    public static FocusUris list(List<String> uris) {
        Set<String> distinct = new LinkedHashSet<>(uris);
        if (distinct.isEmpty() || distinct.size() != uris.size()) {
            throw new IllegalArgumentException("a focus list needs at least one URI and no duplicates");
        }
        return new FocusUris(null, List.copyOf(distinct));
    }

    /** The rule for factory {@code sip:factory.X@d}: {@code sip:focus{N}.X@d} (the KMS's default rule). */
    public static FocusUris defaultFor(String factoryUri) {
        int colon = factoryUri.indexOf(':');
        int at = factoryUri.indexOf('@');
        String user = at > colon ? factoryUri.substring(colon + 1, at) : factoryUri.substring(colon + 1);
        String domain = at > colon ? factoryUri.substring(at) : "";
        String suffix = user.startsWith("factory.") ? user.substring("factory.".length()) : user;
        return rule(factoryUri.substring(0, colon + 1) + "focus{N}." + suffix + domain);
    }

    public boolean byRule() {
        return rule != null;
    }

    /** A focus URI not {@code inUse}; empty when every URI of the list is taken. */
    public Optional<String> allocate(Predicate<String> inUse) {
        if (rule != null) {
            while (true) {
                String uri = rule.replace("{N}", Long.toUnsignedString(RANDOM.nextLong()));
                if (!inUse.test(uri)) {
                    return Optional.of(uri);
                }
            }
        }
        return list.stream().filter(u -> !inUse.test(u)).findFirst();
    }

    /** URIs to check against the KMS at start: a sample from the rule, or every URI of the list. */
    public List<String> samples() {
        if (rule != null) {
            return List.of(rule.replace("{N}", Long.toUnsignedString(RANDOM.nextLong())));
        }
        return new ArrayList<>(list);
    }

    /** The directory entry that reaches every focus: {@code sip:*<rest after {N}>}, or the list itself. */
    public List<String> directoryEntries() {
        if (rule != null) {
            return List.of("sip:*" + rule.substring(rule.indexOf("{N}") + 3));
        }
        return list;
    }

    @Override
    public String toString() {
        return rule != null ? "rule " + rule : "list " + list;
    }
}
