package org.kmsconf.control.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.kmsconf.control.cms.AuthEnvelopedCms;
import org.kmsconf.control.cms.KekId;
import org.kmsconf.control.cms.OpenResult;
import org.kmsconf.control.confinfo.ConferenceInfo;
import org.kmsconf.control.confinfo.ConferenceInfoException;
import org.kmsconf.control.confinfo.ConferenceInfoView;
import org.kmsconf.control.confinfo.ConferenceInfoXml;
import org.kmsconf.control.event.ReceiveOutcome.Reason;
import org.kmsconf.mikey.crypto.KeyMaterial;

/**
 * A user agent's end of one conference-package subscription in a secure conference. Each NOTIFY body goes through
 * the checks of docs/profile.md §6 in order: it is protected at all, (1) its kekid names one of the UE's live legs,
 * (2) the GCM tag verifies, (3) the inner Content-Type is conference-info+xml, (4) {@code entity} is the focus URI
 * of that leg, (5) {@code version} is above the last one applied. The first failure decides the outcome.
 */
public final class ConferenceEventReceiver {
    private final String focusUri;
    private final Function<KekId, Optional<KeyMaterial>> keks;
    private final ConferenceInfoView view = new ConferenceInfoView();

    /**
     * {@code keks}: the KEK of the UE's live leg named by a kekid (its K(0xE0)), or empty. A re-keyed leg answers
     * for its new CSB ID only.
     */
    public ConferenceEventReceiver(String focusUri, Function<KekId, Optional<KeyMaterial>> keks) {
        this.focusUri = Objects.requireNonNull(focusUri);
        this.keks = Objects.requireNonNull(keks);
    }

    /** The roster as the notifications so far built it. */
    public ConferenceInfoView view() {
        return view;
    }

    public ReceiveOutcome receive(String contentType, byte[] body) {
        if (!NotifyBody.isProtected(contentType)) {
            return new ReceiveOutcome.Refused(Reason.NOT_PROTECTED, "Content-Type " + contentType);
        }
        OpenResult opened = AuthEnvelopedCms.open(body, keks);
        if (opened instanceof OpenResult.Malformed m) {
            return new ReceiveOutcome.Refused(Reason.MALFORMED, m.why());
        } else if (opened instanceof OpenResult.UnknownKek u) {
            return new ReceiveOutcome.Refused(Reason.UNKNOWN_KEK, "kekid "
                    + java.util.HexFormat.of().formatHex(u.keyIdentifier()));
        } else if (opened instanceof OpenResult.AuthenticationFailed a) {
            return new ReceiveOutcome.Refused(Reason.AUTHENTICATION_FAILED, a.kekId().toString());
        }
        byte[] plain = ((OpenResult.Opened) opened).plaintext();
        Optional<byte[]> xml = conferenceInfoEntity(plain);
        if (xml.isEmpty()) {
            return new ReceiveOutcome.Refused(Reason.WRONG_INNER_TYPE, "inner entity is not "
                    + ConferenceInfo.MEDIA_TYPE);
        }
        ConferenceInfo doc;
        try {
            doc = ConferenceInfoXml.parse(xml.get());
        } catch (ConferenceInfoException e) {
            return new ReceiveOutcome.Refused(Reason.INVALID_DOCUMENT, e.getMessage());
        }
        if (!doc.entity().equals(focusUri)) {
            return new ReceiveOutcome.Refused(Reason.WRONG_ENTITY, "entity " + doc.entity() + ", not " + focusUri);
        }
        long last = view.version();
        return switch (view.apply(doc)) {
            case APPLIED -> new ReceiveOutcome.Applied(view.current().orElseThrow(), doc);
            case REPLAY -> new ReceiveOutcome.Replay(doc.version(), last);
            case NEEDS_FULL_STATE -> new ReceiveOutcome.NeedsFullState(doc.version(), last);
        };
    }

    /**
     * The body of the inner MIME entity if its headers name application/conference-info+xml (RFC 2045 header
     * block, CRLF line ends, an empty line before the body); other headers are ignored.
     */
    static Optional<byte[]> conferenceInfoEntity(byte[] plain) {
        int end = indexOf(plain, new byte[] {'\r', '\n', '\r', '\n'});
        if (end < 0) {
            return Optional.empty();
        }
        String headers = new String(plain, 0, end, StandardCharsets.US_ASCII);
        boolean ours = false;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Type")) {
                String type = line.substring(colon + 1).split(";")[0].strip().toLowerCase(Locale.ROOT);
                ours = type.equals(ConferenceInfo.MEDIA_TYPE);
            }
        }
        return ours ? Optional.of(Arrays.copyOfRange(plain, end + 4, plain.length)) : Optional.empty();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
