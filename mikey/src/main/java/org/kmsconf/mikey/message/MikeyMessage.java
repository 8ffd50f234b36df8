package org.kmsconf.mikey.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.kmsconf.mikey.payload.Idr;
import org.kmsconf.mikey.payload.IdRole;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.RandRole;
import org.kmsconf.mikey.payload.Randr;

/** A MIKEY message: the common header and the payloads in wire order (RFC 3830 §6). Immutable. */
public record MikeyMessage(Header header, List<Payload> payloads) {

    public MikeyMessage {
        Objects.requireNonNull(header, "header");
        payloads = List.copyOf(payloads);
    }

    public DataType dataType() {
        return header.dataType();
    }

    /** The first payload of a given class. */
    public <T extends Payload> Optional<T> first(Class<T> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Every payload of a given class, in order. */
    public <T extends Payload> List<T> all(Class<T> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toUnmodifiableList());
    }

    /** The first IDR payload with a role. */
    public Optional<Idr> idr(IdRole role) {
        return all(Idr.class).stream().filter(i -> i.role() == role).findFirst();
    }

    /** The first RANDR payload with a role. */
    public Optional<Randr> randr(RandRole role) {
        return all(Randr.class).stream().filter(x -> x.role() == role).findFirst();
    }

    /** The last payload (the V or KEMAC carrying the MAC in PSK messages). */
    public Payload last() {
        if (payloads.isEmpty()) {
            throw new IllegalStateException("message has no payloads");
        }
        return payloads.get(payloads.size() - 1);
    }

    /** The same message with its last payload replaced (e.g. a V payload once its MAC is computed). */
    public MikeyMessage withLast(Payload p) {
        List<Payload> list = new ArrayList<>(payloads);
        list.set(list.size() - 1, p);
        return new MikeyMessage(header, list);
    }

    @Override
    public String toString() {
        return "MIKEY[" + header + ", " + payloads + "]";
    }
}
