package org.kmsconf.mikey.print;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a {@link PrintNode} tree as indented text: one line per node, {@code Title: label value, label value},
 * children two spaces deeper. Long hex values wrap onto continuation lines of 32 bytes.
 */
public final class TextRenderer {
    private static final int HEX_BYTES_PER_LINE = 32;

    private TextRenderer() {
    }

    public static String render(PrintNode root) {
        StringBuilder sb = new StringBuilder();
        render(root, 0, sb);
        return sb.toString();
    }

    private static void render(PrintNode n, int depth, StringBuilder sb) {
        String indent = "  ".repeat(depth);
        StringBuilder line = new StringBuilder(indent).append(n.title());
        StringBuilder continuation = new StringBuilder();
        boolean first = true;
        for (PrintNode.Field f : n.fields()) {
            if (f.label() == null) {
                continue; // JSON only
            }
            line.append(first ? ": " : ", ");
            first = false;
            if (!f.label().isEmpty()) {
                line.append(f.label()).append(' ');
            }
            Object v = f.value();
            if (v instanceof PrintNode.Hex h && h.bytes().length > HEX_BYTES_PER_LINE) {
                line.append(h.bytes().length).append(" bytes").append(note(h)).append(" (below)");
                continuation.append(hexBlock(h.bytes(), indent + "    ", f.label()));
            } else {
                line.append(value(v));
            }
        }
        sb.append(line).append('\n').append(continuation);
        for (PrintNode c : n.children()) {
            render(c, depth + 1, sb);
        }
    }

    static String value(Object v) {
        if (v instanceof PrintNode.Hex h) {
            byte[] b = h.bytes();
            return (b.length == 0 ? "(empty)" : HexFormat.of().formatHex(b)) + note(h);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(TextRenderer::value).collect(Collectors.joining(" ", "[", "]"));
        }
        if (v instanceof String s) {
            return s;
        }
        return String.valueOf(v);
    }

    private static String note(PrintNode.Hex h) {
        return h.note() == null || h.note().isEmpty() ? "" : " (" + h.note() + ")";
    }

    private static String hexBlock(byte[] b, String indent, String label) {
        StringBuilder sb = new StringBuilder();
        HexFormat hf = HexFormat.of();
        for (int off = 0; off < b.length; off += HEX_BYTES_PER_LINE) {
            int end = Math.min(b.length, off + HEX_BYTES_PER_LINE);
            sb.append(indent).append(label.isEmpty() ? "" : label + " ").append(String.format("%04x: ", off))
                    .append(hf.formatHex(b, off, end)).append('\n');
        }
        return sb.toString();
    }
}
