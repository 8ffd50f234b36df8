package org.kmsconf.mikey.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kmsconf.mikey.exchange.Fixture.ALICE;
import static org.kmsconf.mikey.exchange.Fixture.BOB;
import static org.kmsconf.mikey.exchange.Fixture.KMS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * {@link KmsProtocol#handle} owns the PSK the {@link KmsDirectory} hands it and destroys it once the message is
 * answered, on every path: grant, policy refusal after authentication, failed authentication.
 */
class KeyHygieneTest {
    private final Fixture f = new Fixture();

    private byte[] requestInit(KeyMaterial psk) {
        return TicketRequest.create(TicketRequest.Spec.conferencing(ALICE, KMS, f.pskIds.get(ALICE), List.of(BOB),
                AlgorithmSet.SET_256), psk, f.context()).message();
    }

    private void assertEveryHandedOutPskDestroyed(int expected) {
        assertThat(f.directory.handedOut).hasSize(expected);
        assertThat(f.directory.handedOut).allSatisfy(k -> assertThat(k.isDestroyed()).isTrue());
        // the directory's own keys are untouched
        assertThat(f.psks.values()).allSatisfy(k -> assertThat(k.isDestroyed()).isFalse());
    }

    @Test
    void pskOfAGrantedRequestAndResolveIsDestroyed() {
        byte[] transferInit = f.transferInit(ALICE, BOB, AlgorithmSet.SET_256, BOB);
        TransferResponder bob = f.resolve(transferInit, BOB, BOB, f.context());
        assertThat(bob).isNotNull();
        assertEveryHandedOutPskDestroyed(2); // alice's REQUEST, bob's RESOLVE
    }

    @Test
    void pskOfARefusedAuthenticatedRequestIsDestroyed() {
        f.directory.request = PolicyDecision.deny(KmsRefusal.SESSION_DENIED, "not allowed");
        KmsResult r = f.kms.handle(requestInit(f.psks.get(ALICE)));
        assertThat(r.outcome().granted()).isFalse();
        assertThat(r.outcome().user()).isEqualTo("alice"); // it was authenticated
        assertEveryHandedOutPskDestroyed(1);
    }

    @Test
    void pskOfAMessageFailingAuthenticationIsDestroyed() {
        KmsResult r = f.kms.handle(requestInit(f.psks.get(BOB))); // alice's IDRpsk, bob's key
        assertThat(r.outcome().error()).isEqualTo(ErrorCode.AUTH_FAILURE);
        assertEveryHandedOutPskDestroyed(1);
    }

    @Test
    void pskOfAReplayIsDestroyed() {
        byte[] msg = requestInit(f.psks.get(ALICE));
        f.kms.handle(msg);
        f.directory.sharedGuard = (k, e) -> false;
        KmsResult r = f.kms.handle(requestInit(f.psks.get(ALICE)));
        assertThat(r.outcome().error()).isEqualTo(ErrorCode.INVALID_TS);
        assertEveryHandedOutPskDestroyed(2);
    }
}
