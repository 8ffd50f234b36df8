package org.kmsconf.control.floor;

import java.util.OptionalInt;

/**
 * Told when a floor gets a new holder or none (the focus's relay forwards only the audio of the holder of the audio
 * floor). Called with the floor control server's lock held, in the order the changes happen: keep it short and do
 * not call back into the server.
 */
@FunctionalInterface
public interface FloorHolderListener {
    void holderChanged(long conferenceId, int floorId, OptionalInt holderUserId);
}
