package org.kmsconf.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.net.InetSocketAddress;
import org.kmsconf.mikey.message.Ssrc;

/** The one JSON mapping of the admin interface: instants as ISO-8601 text, SSRCs as {@code 0x}-hex, addresses as text. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("kmsconf-ops")
                    .addSerializer(Ssrc.class, new ToStringSerializer())
                    .addSerializer(InetSocketAddress.class, new AddressSerializer())
                    .addSerializer(java.time.Instant.class, new ToStringSerializer())
                    .addDeserializer(java.time.Instant.class, new com.fasterxml.jackson.databind.JsonDeserializer<>() {
                        @Override
                        public java.time.Instant deserialize(com.fasterxml.jackson.core.JsonParser p,
                                com.fasterxml.jackson.databind.DeserializationContext ctx) throws java.io.IOException {
                            return java.time.Instant.parse(p.getValueAsString());
                        }
                    }))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() { }

    /** {@code 127.0.0.1:40002}, {@code [::1]:40002}: what an operator types, not {@code /127.0.0.1:40002}. */
    static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static final class AddressSerializer extends com.fasterxml.jackson.databind.ser.std.StdSerializer<
            InetSocketAddress> {
        AddressSerializer() {
            super(InetSocketAddress.class);
        }

        @Override
        public void serialize(InetSocketAddress a, com.fasterxml.jackson.core.JsonGenerator g,
                              com.fasterxml.jackson.databind.SerializerProvider p) throws java.io.IOException {
            g.writeString(address(a));
        }
    }
}
