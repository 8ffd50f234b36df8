package org.kmsconf.mikey.interop;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The packets of tshark's PDML output ({@code -T pdml}): per packet, its protocols and their fields in tree order. */
final class Pdml {
    private Pdml() {
    }

    /** One field (or text line, with an empty name) of the dissection tree. */
    record Field(String name, String show, String value, String showname) {
    }

    /** One dissection of a protocol in a packet: its own fields, depth first. */
    record Proto(String name, List<Field> fields) {
        /** The values of every field with this name, in tree order. */
        List<String> shows(String fieldName) {
            return fields.stream().filter(f -> f.name().equals(fieldName)).map(Field::show).toList();
        }
    }

    /** One packet: every protocol element it contains (nested ones included), in document order. */
    record Packet(int number, List<Proto> protos) {
        List<Proto> all(String protoName) {
            return protos.stream().filter(p -> p.name().equals(protoName)).toList();
        }

        /** Every field of the packet, of every protocol. */
        List<Field> allFields() {
            return protos.stream().flatMap(p -> p.fields().stream()).toList();
        }
    }

    static List<Packet> parse(String pdml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(pdml.getBytes(StandardCharsets.UTF_8)));
            List<Packet> packets = new ArrayList<>();
            NodeList ps = doc.getDocumentElement().getElementsByTagName("packet");
            for (int i = 0; i < ps.getLength(); i++) {
                List<Proto> protos = new ArrayList<>();
                NodeList pr = ((Element) ps.item(i)).getElementsByTagName("proto");
                for (int j = 0; j < pr.getLength(); j++) {
                    Element proto = (Element) pr.item(j);
                    List<Field> fields = new ArrayList<>();
                    collect(proto, fields);
                    protos.add(new Proto(proto.getAttribute("name"), fields));
                }
                packets.add(new Packet(i + 1, protos));
            }
            return packets;
        } catch (Exception e) {
            throw new AssertionError("tshark's PDML output does not parse: " + e, e);
        }
    }

    /** Fields below {@code e} depth first, not descending into nested protocols (they are listed on their own). */
    private static void collect(Element e, List<Field> out) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals("field")) {
                out.add(new Field(c.getAttribute("name"), c.getAttribute("show"), c.getAttribute("value"),
                        c.getAttribute("showname")));
                collect(c, out);
            }
        }
    }
}
