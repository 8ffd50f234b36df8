package org.kmsconf.ops;

import java.util.regex.Pattern;

/**
 * Who is calling the admin interface, once authenticated: by the bearer token (the command line, scripts) or by a
 * console session; the operator name recorded in the audit and given to the conference model as the
 * {@code Actor.operator} is {@code token} or {@code console}, followed by the name the caller declared in
 * {@code X-Operator-Name} (a label for the audit, not an authentication: whoever holds the token is the operator).
 */
record Caller(Kind kind, String declaredName, String remote) {
    enum Kind { TOKEN, CONSOLE }

    static final String NAME_HEADER = "X-Operator-Name";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    static String declared(String header) {
        return header != null && NAME.matcher(header).matches() ? header : null;
    }

    String operator() {
        String base = kind == Kind.TOKEN ? "token" : "console";
        return declaredName == null ? base : base + ":" + declaredName;
    }
}
