package org.kmsconf.sip.ue;

import java.util.List;
import java.util.Optional;
import org.kmsconf.control.bfcp.message.FloorRequestInformation;

/** Told of every FloorStatus a focus sends: who holds the floor now, and the floor's requests. */
@FunctionalInterface
public interface FloorListener {
    FloorListener NONE = (focus, holder, requests) -> { };

    void floor(String focusUri, Optional<String> holder, List<FloorRequestInformation> requests);
}
