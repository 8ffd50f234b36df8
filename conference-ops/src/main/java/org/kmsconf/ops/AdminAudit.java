package org.kmsconf.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.kmsconf.httpserver.TokenFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of operator actions on the conference server: every login, end, removal and refused attempt,
 * with who (the operator, how authenticated, from where), what, on which conference or participant, and the
 * outcome. Each record goes to the log (logger {@code org.kmsconf.ops.audit}) and, when a file is configured, is
 * appended to it as one JSON line (the file is created 0600); the newest are kept for the API and the console, and
 * read back from the file at start.
 */
public final class AdminAudit implements AutoCloseable {
    private static final Logger AUDIT = LoggerFactory.getLogger("org.kmsconf.ops.audit");
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int KEEP = 500;

    /** One operator action. {@code outcome}: DONE, REFUSED (by the conference model, or not authenticated). */
    public record Entry(Instant at, String operator, String remote, String action, String target, String outcome,
                        String detail) { }

    private final Path file;
    private final BufferedWriter out;
    private final Deque<Entry> recent = new ArrayDeque<>();
    private volatile Consumer<Entry> listener = e -> { };

    public AdminAudit(Path file) {
        this.file = file;
        if (file == null) {
            this.out = null;
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(TokenFile.OWNER_ONLY));
            } catch (FileAlreadyExistsException exists) {
                readBack(file);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the admin audit file " + file + ": " + e.getMessage(), e);
        }
    }

    private void readBack(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (String l : lines.subList(Math.max(0, lines.size() - KEEP), lines.size())) {
            try {
                remember(JSON.readValue(l, Entry.class));
            } catch (IOException malformed) {
                AUDIT.debug("skipping an unreadable line of {}", f);
            }
        }
    }

    void onEntry(Consumer<Entry> l) {
        this.listener = l == null ? e -> { } : l;
    }

    public void record(String operator, String remote, String action, String target, String outcome, String detail) {
        Entry e = new Entry(Instant.now(), operator, remote, action, target, outcome, detail == null ? "" : detail);
        String line = "ADMIN " + action + " " + outcome + " operator=" + q(operator) + " remote=" + q(remote)
                + " target=" + q(target) + (e.detail().isEmpty() ? "" : " detail=" + q(e.detail()));
        if (outcome.equals("DONE")) {
            AUDIT.info(line);
        } else {
            AUDIT.warn(line);
        }
        synchronized (this) {
            remember(e);
            if (out != null) {
                try {
                    out.write(JSON.writeValueAsString(e));
                    out.write('\n');
                    out.flush();
                } catch (IOException ex) {
                    AUDIT.error("could not append to {}: {} (the record is in this log)", file, ex.getMessage());
                }
            }
        }
        listener.accept(e);
    }

    private static String q(String v) {
        String s = v == null ? "" : v.replace('\n', ' ').replace('"', '\'');
        return s.indexOf(' ') >= 0 || s.isEmpty() ? "\"" + s + "\"" : s;
    }

    private synchronized void remember(Entry e) {
        recent.addFirst(e);
        while (recent.size() > KEEP) {
            recent.removeLast();
        }
    }

    /** The newest {@code limit} entries, newest first. */
    public synchronized List<Entry> recent(int limit) {
        List<Entry> r = new ArrayList<>();
        for (Iterator<Entry> it = recent.iterator(); it.hasNext() && r.size() < limit; ) {
            r.add(it.next());
        }
        return r;
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                AUDIT.warn("closing {}: {}", file, e.getMessage());
            }
        }
    }
}
