package org.kmsconf.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The web console's files (plain HTML, CSS and JavaScript, no framework, nothing from another origin), read once from
 * the class path. The page holds no data and no secret: everything it shows comes over the authenticated API.
 */
final class ConsoleAssets {
    /** What the browser may load and where it may connect: this origin only; no inline script. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    record Asset(String contentType, byte[] body) { }

    private final Map<String, Asset> assets;

    ConsoleAssets() {
        assets = Map.of(
                "index.html", load("index.html", "text/html; charset=utf-8"),
                "console.js", load("console.js", "text/javascript; charset=utf-8"),
                "console.css", load("console.css", "text/css; charset=utf-8"));
    }

    Optional<Asset> get(String name) {
        return Optional.ofNullable(assets.get(name.isEmpty() ? "index.html" : name));
    }

    private static Asset load(String name, String type) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console asset missing from the class path: " + name);
            }
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
