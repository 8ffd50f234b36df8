package org.kmsconf.kms.audit;

/**
 * Escapes text a peer chose (identities, reasons quoting them, user names, addresses) before it goes into a log line
 * or the {@code kms audit} output: every control character (C0 including CR, LF, TAB and ESC, so no forged line and
 * no ANSI terminal sequence; DEL; C1), the Unicode line and paragraph separators and the bidirectional overrides
 * (text that would display in another order than it reads) become {@code \xNN} / {@code \\uNNNN}; a backslash
 * becomes {@code \\}, so an escaped text cannot be confused with one that contained the escape.
 */
public final class LogSafe {
    private LogSafe() {
    }

    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !special(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!special(c)) {
                b.append(c);
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (c < 0x100) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean special(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\' || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }
}
