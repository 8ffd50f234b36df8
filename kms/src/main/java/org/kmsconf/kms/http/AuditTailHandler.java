package org.kmsconf.kms.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.kmsconf.kms.audit.AuditLog;
import org.kmsconf.kms.audit.AuditRecord;

/**
 * {@code GET /audit?limit=N}: the newest audit records (at most 200, newest first), one per line as
 * {@code kmsconf kms audit} prints them, for an operator's console. Only with {@code Authorization: Bearer <token>},
 * the token in a file created with owner-only permissions at first start (never chmod-ed afterwards) and refused if
 * others may read it; compared in constant time. Every other path goes to the KMS's own handler. Off unless the
 * server is started with a token file.
 */
public final class AuditTailHandler extends Handler.Wrapper {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final int MAX = 200;

    private final AuditLog audit;
    private final byte[] token;

    public AuditTailHandler(Handler kms, AuditLog audit, Path tokenFile) {
        super(kms);
        this.audit = audit;
        this.token = loadOrCreate(tokenFile).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"/audit".equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            text(response, callback, 405, "method not allowed: use GET\n");
            return true;
        }
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip()
                : "";
        if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"kmsconf-kms-audit\"");
            text(response, callback, 401, "unauthorized: send Authorization: Bearer <audit token>\n");
            return true;
        }
        StringBuilder b = new StringBuilder();
        for (AuditRecord r : audit.recent(limit(request))) {
            b.append(r.at()).append(' ').append(r.toLogLine()).append('\n');
        }
        text(response, callback, 200, b.toString());
        return true;
    }

    private static int limit(Request request) {
        String q = request.getHttpURI().getQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                if (kv.startsWith("limit=")) {
                    try {
                        return Math.max(1, Math.min(MAX, Integer.parseInt(kv.substring(6))));
                    } catch (NumberFormatException e) {
                        return 50;
                    }
                }
            }
        }
        return 50;
    }

    private static void text(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Reads the token file, or creates it (0600 at creation, 256 random bits, base64url) at first start. */
    static String loadOrCreate(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String t = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write((t + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return t;
        } catch (FileAlreadyExistsException exists) {
            return readExisting(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readExisting(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new IllegalArgumentException("audit token file " + file + " is open to others ("
                        + PosixFilePermissions.toString(perms) + "): chmod 600 it");
            }
            String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (t.length() < 32) {
                throw new IllegalArgumentException("audit token file " + file + " holds no token");
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit token file " + file + ": " + e.getMessage(), e);
        }
    }
}
