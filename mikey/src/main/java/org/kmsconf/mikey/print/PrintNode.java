package org.kmsconf.mikey.print;

import java.util.ArrayList;
import java.util.List;

/**
 * One element of the decoded tree: a title (e.g. "Timestamp (T)"), named fields printed on the title line, and
 * child nodes printed indented below it. The same tree renders as text ({@link TextRenderer}) and as JSON
 * ({@link JsonRenderer}). Field values are {@link String}, {@link Number}, {@link Boolean}, {@link Code}, a
 * {@link Hex} or a list of these.
 */
public final class PrintNode {
    /** A field: JSON key, value, and the label in front of the value on the text line (empty: none; null: JSON only). */
    public record Field(String key, Object value, String label) {
    }

    /** Bytes printed as lowercase hex, with a note such as "ciphertext" or "key in the clear". */
    public record Hex(byte[] bytes, String note) {
        public Hex {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    private final String kind;
    private final String title;
    private final List<Field> fields = new ArrayList<>();
    private final List<PrintNode> children = new ArrayList<>();

    /**
     * @param kind  JSON name of the element ("header", "T", "IDR", ...)
     * @param title the text heading ("Timestamp (T)")
     */
    public PrintNode(String kind, String title) {
        this.kind = kind;
        this.title = title;
    }

    public PrintNode field(String key, String label, Object value) {
        fields.add(new Field(key, value, label));
        return this;
    }

    public PrintNode child(PrintNode n) {
        children.add(n);
        return this;
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public List<Field> fields() {
        return List.copyOf(fields);
    }

    public List<PrintNode> children() {
        return List.copyOf(children);
    }
}
