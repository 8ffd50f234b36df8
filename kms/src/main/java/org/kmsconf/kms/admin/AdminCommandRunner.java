package org.kmsconf.kms.admin;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/** Runs one admin command line inside the running KMS, on its open store; returns the exit code. */
@FunctionalInterface
public interface AdminCommandRunner {
    int run(List<String> args, PrintStream out, PrintStream err, InputStream in) throws Exception;
}
