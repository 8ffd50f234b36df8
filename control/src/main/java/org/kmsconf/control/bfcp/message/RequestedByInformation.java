package org.kmsconf.control.bfcp.message;

import java.util.Optional;

/** REQUESTED-BY-INFORMATION (RFC 8855 §5.2.16): Requested-by ID, [USER-DISPLAY-NAME], [USER-URI]. */
public record RequestedByInformation(int requestedById, Optional<String> displayName, Optional<String> uri) {
    public RequestedByInformation {
        Texts.u16(requestedById, "Requested-by ID");
        displayName = Texts.text(displayName, "USER-DISPLAY-NAME");
        uri = Texts.text(uri, "USER-URI");
    }

    public static RequestedByInformation of(int requestedById) {
        return new RequestedByInformation(requestedById, Optional.empty(), Optional.empty());
    }
}
