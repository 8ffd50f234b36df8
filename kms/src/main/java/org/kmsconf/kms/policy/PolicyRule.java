package org.kmsconf.kms.policy;

import java.util.regex.Pattern;

/**
 * One rule of "who may hold a secure session with whom": an action for an (initiator, responder) pair of public
 * identities given as patterns, where {@code *} matches any run of characters (e.g. {@code sip:*@partner.example}).
 * Rules are evaluated in id order; the first match decides.
 */
public record PolicyRule(long id, Action action, String fromPattern, String toPattern) {

    public enum Action { ALLOW, DENY }

    public PolicyRule {
        requirePattern(fromPattern);
        requirePattern(toPattern);
    }

    public static void requirePattern(String p) {
        if (p == null || p.isEmpty() || p.length() > 500 || p.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid identity pattern '" + p
                    + "' (a URI where * matches any characters, no spaces)");
        }
    }

    public boolean matches(String initiator, String responder) {
        return glob(fromPattern, initiator) && glob(toPattern, responder);
    }

    static boolean glob(String pattern, String value) {
        if (!pattern.contains("*")) {
            return pattern.equals(value);
        }
        String[] parts = pattern.split("\\*", -1);
        StringBuilder re = new StringBuilder(Pattern.quote(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            re.append(".*").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(value).matches();
    }
}
