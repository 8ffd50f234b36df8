package org.kmsconf.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns an exception escaping a command into one clear line on stderr and exit code 2 (bad input) or 1 (failure).
 * The stack trace goes to the debug log only: a user never sees one.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        LOG.debug("command failed", ex);
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cl.getErr().println("kmsconf: " + msg);
        return ex instanceof IllegalArgumentException ? 2 : 1;
    }
}
