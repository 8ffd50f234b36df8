package org.kmsconf.app.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Log set-up shared by every command: logs go to stderr (logback.xml), at WARN by default, INFO with {@code -v},
 * DEBUG with {@code -vv}. java.util.logging (used by some libraries) is routed to the same place.
 */
public final class Logging {
    private Logging() { }

    public static void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** 0 = WARN, 1 = INFO, 2 or more = DEBUG, for our own code; third-party stacks stay at WARN below DEBUG. */
    public static void verbosity(int level) {
        if (level <= 0) {
            return;
        }
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level == 1 ? Level.INFO : Level.DEBUG);
        }
        // The SIP stack's message dump (every request and response in full) only from -vv on.
        if (level == 1 && LoggerFactory.getLogger("org.kmsconf.sip.jainsip") instanceof Logger wire) {
            wire.setLevel(Level.WARN);
        }
    }
}
