package org.kmsconf.sip;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps public identities (SIP URIs such as {@code sip:alice@operator}) to contact addresses. There is no proxy or
 * registrar on loopback: a request's Request-URI is the contact found here, while From and To carry the public
 * identities that also appear as IDRi/IDRr in the MIKEY messages.
 *
 * <p>An entry whose user part starts with {@code *} matches every user ending with the rest: {@code
 * sip:*.conference1@operator} reaches every focus a conference server allocates under that suffix.
 */
public final class Directory {
    private final Map<String, Contact> exact = new ConcurrentHashMap<>();
    private final Map<String, Contact> wildcard = new ConcurrentHashMap<>();

    public Directory put(String identity, Contact contact) {
        String id = normalise(identity);
        if (id.startsWith("sip:*")) {
            wildcard.put(id.substring("sip:*".length()), contact);
        } else {
            exact.put(id, contact);
        }
        return this;
    }

    public Optional<Contact> lookup(String identity) {
        String id = normalise(identity);
        Contact c = exact.get(id);
        if (c != null) {
            return Optional.of(c);
        }
        String best = null;
        for (String suffix : wildcard.keySet()) {
            if (id.endsWith(suffix) && (best == null || suffix.length() > best.length())) {
                best = suffix;
            }
        }
        return best == null ? Optional.empty() : Optional.ofNullable(wildcard.get(best));
    }

    public Contact require(String identity) {
        return lookup(identity).orElseThrow(() ->
                new IllegalArgumentException("no contact known for " + identity + " (add it to the directory)"));
    }

    /**
     * The canonical form of a public identity: {@code sip:} scheme, lower-case, no parameters or angle brackets.
     * This is also the string used as IDR data in MIKEY (docs/profile.md §1 row 6: identity = IDR ID data bytes).
     */
    public static String normalise(String identity) {
        String s = identity.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        int semi = s.indexOf(';');
        if (semi >= 0) {
            s = s.substring(0, semi);
        }
        s = s.toLowerCase(Locale.ROOT);
        if (!s.startsWith("sip:") && !s.startsWith("sips:")) {
            s = "sip:" + s;
        }
        return s;
    }
}
