package org.kmsconf.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web console's sessions: a browser that presented the admin token gets a random session id (256 bits) in an
 * HttpOnly, SameSite=Strict cookie, so the token itself is never stored by the page and the event stream (which
 * cannot send an Authorization header) is authenticated. Only a hash of each id is kept; sessions expire after
 * {@code ttl}; at most {@code max} at once (the oldest goes).
 */
final class ConsoleSessions {
    private final Duration ttl;
    private final int max;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiryByHash = new LinkedHashMap<>();

    ConsoleSessions(Duration ttl, int max, Clock clock) {
        this.ttl = ttl;
        this.max = max;
        this.clock = clock;
    }

    Duration ttl() {
        return ttl;
    }

    synchronized String open() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        expiryByHash.put(hash(id), clock.instant().plus(ttl));
        while (expiryByHash.size() > max) {
            Iterator<String> it = expiryByHash.keySet().iterator();
            it.next();
            it.remove();
        }
        return id;
    }

    synchronized boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return false;
        }
        String h = hash(id);
        Instant exp = expiryByHash.get(h);
        if (exp == null) {
            return false;
        }
        if (clock.instant().isAfter(exp)) {
            expiryByHash.remove(h);
            return false;
        }
        return true;
    }

    synchronized void close(String id) {
        if (id != null) {
            expiryByHash.remove(hash(id));
        }
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
