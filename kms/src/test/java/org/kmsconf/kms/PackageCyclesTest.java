package org.kmsconf.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No package of the KMS depends on another that depends back on it, directly or through others: each layer (store,
 * policy, audit, http, admin, the service, cli) can be read and changed without the ones above it. The package
 * dependencies come from the JDK's jdeps over the compiled main classes.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(org\\.kmsconf\\.kms[\\w.]*)\\s+->\\s+(org\\.kmsconf\\.kms[\\w.]*)\\s");

    @Test
    void kmsPackagesHaveNoCycles() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package", "-e",
                "org\\.kmsconf\\.kms(\\..*)?", Path.of("target", "classes").toString());
        assertThat(rc).isZero();
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                deps.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        assertThat(deps).as("jdeps found the package dependencies").containsKey("org.kmsconf.kms.cli");
        List<String> cycles = new ArrayList<>();
        for (var e : deps.entrySet()) {
            for (String to : e.getValue()) {
                List<String> back = path(deps, to, e.getKey());
                if (back != null) {
                    cycles.add(e.getKey() + " -> " + String.join(" -> ", back));
                }
            }
        }
        assertThat(cycles).isEmpty();
    }

    /** A dependency path from {@code from} to {@code to}, or null. */
    private static List<String> path(Map<String, Set<String>> deps, String from, String to) {
        Deque<List<String>> todo = new ArrayDeque<>();
        todo.add(List.of(from));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            List<String> p = todo.poll();
            String last = p.get(p.size() - 1);
            if (last.equals(to)) {
                return p;
            }
            if (seen.add(last)) {
                for (String next : deps.getOrDefault(last, Set.of())) {
                    List<String> q = new ArrayList<>(p);
                    q.add(next);
                    todo.add(q);
                }
            }
        }
        return null;
    }
}
