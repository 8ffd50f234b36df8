package org.kmsconf.mikey.print;

import java.util.HexFormat;
import java.util.List;

/**
 * Renders a {@link PrintNode} tree as JSON (RFC 8259): each node is an object with {@code "kind"}, {@code "title"},
 * its fields under their keys and, if it has any, {@code "children"}. Code points become
 * {@code {"name":..,"value":..}}, bytes become lowercase hex strings (with a sibling {@code "<key>Note"} when the
 * value carries a note such as "ciphertext").
 */
public final class JsonRenderer {
    private JsonRenderer() {
    }

    public static String render(PrintNode root) {
        StringBuilder sb = new StringBuilder();
        node(root, sb, 0);
        return sb.append('\n').toString();
    }

    private static void node(PrintNode n, StringBuilder sb, int depth) {
        String in = "  ".repeat(depth + 1);
        sb.append("{\n");
        sb.append(in).append("\"kind\": ").append(string(n.kind())).append(",\n");
        sb.append(in).append("\"title\": ").append(string(n.title()));
        for (PrintNode.Field f : n.fields()) {
            sb.append(",\n").append(in).append(string(f.key())).append(": ");
            value(f.value(), sb);
            if (f.value() instanceof PrintNode.Hex h && h.note() != null && !h.note().isEmpty()) {
                sb.append(",\n").append(in).append(string(f.key() + "Note")).append(": ").append(string(h.note()));
            }
        }
        List<PrintNode> children = n.children();
        if (!children.isEmpty()) {
            sb.append(",\n").append(in).append("\"children\": [");
            for (int i = 0; i < children.size(); i++) {
                sb.append(i == 0 ? "\n" : ",\n").append(in).append("  ");
                node(children.get(i), sb, depth + 2);
            }
            sb.append('\n').append(in).append(']');
        }
        sb.append('\n').append("  ".repeat(depth)).append('}');
    }

    private static void value(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Code c) {
            sb.append("{\"name\": ").append(string(c.name())).append(", \"value\": ").append(c.value()).append('}');
        } else if (v instanceof PrintNode.Hex h) {
            sb.append(string(HexFormat.of().formatHex(h.bytes())));
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                value(l.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(string(v.toString()));
        }
    }

    /** A JSON string literal; control characters and non-ASCII are escaped, so the output is plain ASCII. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
