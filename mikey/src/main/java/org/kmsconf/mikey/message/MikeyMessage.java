package org.kmsconf.mikey.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Collections;
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
        for (Payload p : payloads) {
            if (type.isInstance(p)) {
                return Optional.of(type.cast(p));
            }
        }
        return Optional.empty();
    }

    /** Every payload of a given class, in order. */
    public <T extends Payload> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>(payloads.size());
        for (Payload p : payloads) {
            if (type.isInstance(p)) {
                out.add(type.cast(p));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The first IDR payload with a role. */
    public Optional<Idr> idr(IdRole role) {
        for (Payload p : payloads) {
            if (p instanceof Idr i && i.role() == role) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The first RANDR payload with a role. */
    public Optional<Randr> randr(RandRole role) {
        for (Payload p : payloads) {
            if (p instanceof Randr x && x.role() == role) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
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
