package org.kmsconf.mikey.print;

/** A wire code point with its name: printed as {@code NAME (n)}, in JSON as {@code {"name":"NAME","value":n}}. */
public record Code(String name, int value) {
    @Override
    public String toString() {
        return name + " (" + value + ")";
    }
}
