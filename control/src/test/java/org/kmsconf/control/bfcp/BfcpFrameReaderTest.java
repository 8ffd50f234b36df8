package org.kmsconf.control.bfcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconf.control.bfcp.message.BfcpMessage;
import org.kmsconf.control.bfcp.message.CommonHeader;
import org.kmsconf.control.bfcp.message.ErrorCode;
import org.kmsconf.control.bfcp.message.FloorRequest;
import org.kmsconf.control.bfcp.message.Hello;
import org.kmsconf.control.bfcp.message.HelloAck;

/** Messages on a TCP stream (RFC 8855 §6.2): delimited by their Payload Length, whatever the read sizes. */
class BfcpFrameReaderTest {
    private static final List<BfcpMessage> MESSAGES = List.of(new Hello(CommonHeader.request(1, 1, 2)),
            HelloAck.everythingWeSupport(CommonHeader.request(1, 1, 2).response()),
            FloorRequest.of(CommonHeader.request(1, 2, 2), 1));

    private static byte[] stream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (BfcpMessage m : MESSAGES) {
            out.write(BfcpCodec.encode(m));
        }
        return out.toByteArray();
    }

    /** Hands out at most one byte per read, like a TCP peer writing byte by byte. */
    static final class Trickle extends FilterInputStream {
        Trickle(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }
    }

    private static List<BfcpMessage> readAll(InputStream in) throws IOException {
        BfcpFrameReader r = new BfcpFrameReader(in);
        List<BfcpMessage> out = new ArrayList<>();
        for (byte[] m; (m = r.next()) != null; ) {
            out.add(BfcpCodec.decode(m));
        }
        return out;
    }

    @Test
    void backToBackMessagesAreSplitByTheirPayloadLength() throws IOException {
        assertThat(readAll(new ByteArrayInputStream(stream()))).isEqualTo(MESSAGES);
        assertThat(readAll(new Trickle(new ByteArrayInputStream(stream())))).isEqualTo(MESSAGES);
    }

    @Test
    void aStreamEndingInsideAMessageIsAnEofError() throws IOException {
        byte[] s = stream();
        for (int cut : new int[] {5, 13, s.length - 1}) {
            BfcpFrameReader r = new BfcpFrameReader(new ByteArrayInputStream(s, 0, cut));
            assertThatThrownBy(() -> {
                while (r.next() != null) {
                    // drain
                }
            }).as("cut at %d", cut).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void aMessageAboveTheMaximumIsRefusedBeforeItIsRead() {
        // Payload Length 0xFFFF words announced, nothing else sent: refused from the header alone.
        byte[] header = {0x20, 0x01, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 1, 0, 9, 0, 7};
        BfcpFrameReader r = new BfcpFrameReader(new ByteArrayInputStream(header), 1024);
        assertThatThrownBy(r::next).isInstanceOfSatisfying(BfcpException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INCORRECT_MESSAGE_LENGTH);
            assertThat(e.header().orElseThrow().transactionId()).isEqualTo(9);
        });
    }

    @Test
    void anotherVersionCannotBeDelimitedOnAStream() {
        byte[] header = {0x40, 0x01, 0, 0, 0, 0, 0, 1, 0, 9, 0, 7};
        assertThatThrownBy(() -> new BfcpFrameReader(new ByteArrayInputStream(header)).next())
                .isInstanceOfSatisfying(BfcpException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
    }
}
