package org.kmsconf.sip.stack;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the JAIN-SIP RI's internal log to SLF4J. Mandatory: without a STACK_LOGGER the RI tries log4j and every
 * stack fails with NoClassDefFoundError (docs/sip.md "JAIN-SIP set-up", pitfall 1). The RI keeps one static logger for
 * all stacks.
 * Levels: 32 (TRACE_DEBUG) and above -> debug, 16 (TRACE_INFO) -> info, 8 and below -> warn.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("org.kmsconf.sip.jainsip");
    private volatile boolean enabled = true;

    @Override
    public boolean isLoggingEnabled() {
        return enabled && LOG.isInfoEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int level) {
        if (!enabled) {
            return false;
        }
        if (level >= TRACE_DEBUG) {
            return LOG.isDebugEnabled();
        }
        if (level >= TRACE_INFO) {
            return LOG.isInfoEnabled();
        }
        return LOG.isWarnEnabled();
    }

    @Override
    public void logStackTrace() {
        // Deliberately nothing: the RI calls this liberally at debug level.
    }

    @Override
    public void logStackTrace(int level) {
        // see logStackTrace()
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable t) {
        LOG.warn("JAIN-SIP exception", t);
    }

    @Override
    public void logDebug(String message) {
        LOG.debug(message);
    }

    @Override
    public void logDebug(String message, Exception e) {
        LOG.debug(message, e);
    }

    @Override
    public void logTrace(String message) {
        LOG.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(message);
    }

    @Override
    public void logError(String message) {
        LOG.error(message);
    }

    @Override
    public void logError(String message, Exception e) {
        LOG.error(message, e);
    }

    @Override
    public void logWarning(String message) {
        // The RI warns at every stack start that TLS is not configured; we listen on UDP and TCP only.
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("tls") || m.contains("keystore") || m.contains("truststore")) {
            LOG.debug(message);
        } else {
            LOG.warn(message);
        }
    }

    @Override
    public void logInfo(String message) {
        LOG.info(message);
    }

    @Override
    public void disableLogging() {
        enabled = false;
    }

    @Override
    public void enableLogging() {
        enabled = true;
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties properties) {
        // nothing to configure
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
