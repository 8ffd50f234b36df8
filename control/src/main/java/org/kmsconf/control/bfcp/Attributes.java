package org.kmsconf.control.bfcp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.kmsconf.control.bfcp.message.AttributeType;

/**
 * The attributes of one message or grouped attribute, taken by type with the cardinality of the RFC 8855 §5.3 ABNF:
 * {@link #one}, {@link #optional}, {@link #many}. {@link #done} refuses what is left (an attribute RFC 8855 defines
 * but this message does not allow). Order between different types is free; attributes of one type keep their order.
 */
final class Attributes {
    private final List<RawAttribute> list;
    private final boolean[] used;
    private final String where;
    private final int offset;

    Attributes(List<RawAttribute> list, String where, int offset) {
        this.list = list;
        this.used = new boolean[list.size()];
        this.where = where;
        this.offset = offset;
    }

    RawAttribute one(AttributeType t) {
        return optional(t).orElseThrow(() -> AttributeParser.fail(where + " without " + t, offset));
    }

    Optional<RawAttribute> optional(AttributeType t) {
        List<RawAttribute> all = many(t, 0);
        if (all.size() > 1) {
            throw AttributeParser.fail(where + " with " + all.size() + " " + t, all.get(1).offset());
        }
        return all.stream().findFirst();
    }

    List<RawAttribute> many(AttributeType t, int min) {
        List<RawAttribute> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).type() == t) {
                used[i] = true;
                out.add(list.get(i));
            }
        }
        if (out.size() < min) {
            throw AttributeParser.fail(where + " needs at least " + min + " " + t, offset);
        }
        return out;
    }

    /**
     * A grouped attribute (RFC 8855 §5.2.12-5.2.16): {@code decode} takes what it needs from the children, and
     * {@link #done} refuses what it left.
     */
    static <T> T grouped(RawAttribute r, Function<Attributes, T> decode) {
        Attributes a = new Attributes(r.children(), r.type().rfcName(), r.offset());
        T value = decode.apply(a);
        a.done();
        return value;
    }

    void done() {
        for (int i = 0; i < list.size(); i++) {
            if (!used[i]) {
                throw AttributeParser.fail(list.get(i).type() + " is not allowed in " + where, list.get(i).offset());
            }
        }
    }

    // ---- typed values

    OptionalInt optionalU16(AttributeType t) {
        return optional(t).map(r -> OptionalInt.of(r.u16())).orElse(OptionalInt.empty());
    }

    List<Integer> u16s(AttributeType t, int min) {
        return many(t, min).stream().map(RawAttribute::u16).toList();
    }

    Optional<String> text(AttributeType t) {
        return optional(t).map(Attributes::utf8);
    }

    /** OctetString text attributes are UTF-8 (RFC 8855 §5.2.7-5.2.13); malformed UTF-8 cannot be parsed. */
    static String utf8(RawAttribute r) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(r.message(), r.contentFrom(), r.contentLength())).toString();
        } catch (CharacterCodingException e) {
            throw AttributeParser.fail(r.type() + " is not UTF-8", r.offset());
        }
    }
}
