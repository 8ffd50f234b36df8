package org.kmsconf.control.cms;

/**
 * What opening a CMS AuthEnvelopedData body gave, in the order the checks run (docs/profile.md §6): not CMS of our
 * form at all, a kekid that names no KEK we hold, a tag (or key unwrap) that does not verify, or the plaintext.
 */
public sealed interface OpenResult {
    /** Not DER AuthEnvelopedData with exactly one KEK recipient and AES-GCM content. */
    record Malformed(String why) implements OpenResult {
    }

    /** The kekid names none of our live legs (check 1): answer 493, subscribe again. */
    record UnknownKek(byte[] keyIdentifier) implements OpenResult {
    }

    /** The key unwrap or the GCM tag failed (check 2): a wrong KEK or an altered body; answer 493. */
    record AuthenticationFailed(KekId kekId) implements OpenResult {
    }

    /** Authenticated plaintext, and the KEK that opened it. */
    record Opened(KekId kekId, byte[] plaintext) implements OpenResult {
    }
}
