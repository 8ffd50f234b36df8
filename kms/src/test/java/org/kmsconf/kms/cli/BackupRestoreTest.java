package org.kmsconf.kms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconf.kms.KmsConfig;
import org.kmsconf.kms.KmsServer;
import org.kmsconf.kms.NewUser;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kms.Ua;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.exchange.TicketGrant;

/**
 * docs/operations.md "Backup and restore" as an operator follows it: {@code kms backup} while the KMS serves, the
 * store lost, {@code kms restore} on another data directory with the master key kept apart, and a ticket issued
 * before the backup resolves on the restored KMS; what came after the backup is not there. A wrong master key is one
 * clear error, and an existing store is never overwritten silently.
 */
class BackupRestoreTest {
    static final String ALICE = "sip:alice@operator";
    static final String BOB = "sip:bob@operator";
    static final String KMS = KmsConfig.DEFAULT_KMS_IDENTITY;

    @TempDir
    Path dir;

    private final CliTest cli = new CliTest();

    @Test
    void aTicketIssuedBeforeTheBackupResolvesAfterTheRestore() throws Exception {
        Path before = dir.resolve("kms");
        Path backup = dir.resolve("backups/kms-1.zip");
        assertThat(cli.run("kms", "init", "--data-dir", before.toString()).code()).isZero();
        byte[] transferInit;
        ProvisionedKey bobKey;
        try (KmsServer kms = KmsServer.start(KmsConfig.builder().dataDir(before).listen("127.0.0.1", 0).build())) {
            ProvisionedKey aliceKey = kms.admin().addUser(NewUser.of("alice", ALICE));
            bobKey = kms.admin().addUser(NewUser.of("bob", BOB));
            KmsClient client = KmsClient.builder().address(kms.uri()).build();
            Ua alice = new Ua(aliceKey, ALICE);
            TicketGrant g = alice.requestTicket(client, KMS, BOB);
            transferInit = alice.transferInit(g, BOB).message();

            // online: the KMS keeps serving while the backup is taken
            CliTest.Run b = cli.run("kms", "backup", "--data-dir", before.toString(), "--to", backup.toString());
            assertThat(b.code()).as(b.err()).isZero();
            assertThat(b.out()).contains("backed up to", "the master key is not in it");
            assertThat(backup).exists();
            // after the backup: a user the backup does not know
            kms.admin().addUser(NewUser.of("carol", "sip:carol@operator"));
            client.close();
        }
        // the backup never holds the master key
        try (var zip = new java.util.zip.ZipFile(backup.toFile())) {
            assertThat(zip.stream().map(java.util.zip.ZipEntry::getName)).containsExactly("kms.mv.db");
        }

        // a fresh machine: the master key comes from where it was kept apart, the store from the backup
        Path after = dir.resolve("restored");
        Files.createDirectories(after);
        Files.copy(before.resolve("master.key"), after.resolve("master.key"));
        CliTest.Run r = cli.run("kms", "restore", "--data-dir", after.toString(), "--from", backup.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("restored", "2 users");
        try (KmsServer kms = KmsServer.start(KmsConfig.builder().dataDir(after).listen("127.0.0.1", 0).build())) {
            KmsClient client = KmsClient.builder().address(kms.uri()).build();
            Ua bob = new Ua(bobKey, BOB);
            Ua.Resolving res = bob.resolveInit(transferInit, BOB, KMS);
            res.responder().processResolveResponse(client.exchange(res.resolveInit()));
            assertThat(kms.store().users().list()).extracting(u -> u.userId())
                    .containsExactlyInAnyOrder("alice", "bob");
            client.close();
        }

        // restoring over a store is refused without --force, and keeps the old one aside with it
        CliTest.Run again = cli.run("kms", "restore", "--data-dir", after.toString(), "--from", backup.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("exists: add --force");
        CliTest.Run forced = cli.run("kms", "restore", "--data-dir", after.toString(), "--from", backup.toString(),
                "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        try (var files = Files.list(after)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("kms.mv.db.replaced-"));
        }

        // with another master key the restored store does not open: one clear line
        Path wrongKey = dir.resolve("wrong");
        Files.createDirectories(wrongKey);
        Files.writeString(wrongKey.resolve("master.key"), "00".repeat(32) + "\n");
        CliTest.Run wrong = cli.run("kms", "restore", "--data-dir", wrongKey.toString(), "--from", backup.toString());
        assertThat(wrong.code()).isNotZero();
        assertThat(wrong.err()).containsIgnoringCase("master key");
    }
}
