package org.kmsconf.control.confinfo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * conference-info documents (RFC 4575 §5) to and from UTF-8 XML on the JDK's parsers. Writing follows the schema's
 * element order. Parsing runs with secure processing, refuses any DOCTYPE (so no DTD, no entity of any kind, no
 * external fetch: XXE and entity expansion are impossible) and documents over {@link #MAX_BYTES}, checks what it
 * models (required attributes, enumerated values, numbers such as {@code src-id} in decimal as 32-bit) and skips
 * elements it does not model, RFC 4575's extension points included.
 */
public final class ConferenceInfoXml {
    /** Far above a conference of a few hundred users. */
    public static final int MAX_BYTES = 256 * 1024;
    private static final String NS = ConferenceInfo.NAMESPACE;

    private ConferenceInfoXml() {
    }

    // ------------------------------------------------------------------------------------------------ writing

    public static byte[] write(ConferenceInfo c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.setDefaultNamespace(NS);
            w.writeStartElement(NS, "conference-info");
            w.writeDefaultNamespace(NS);
            w.writeAttribute("entity", c.entity());
            w.writeAttribute("state", c.state().xml());
            w.writeAttribute("version", Long.toString(c.version()));
            if (c.description().isPresent()) {
                description(w, c.description().get());
            }
            if (c.hostInfo().isPresent()) {
                HostInfo h = c.hostInfo().get();
                w.writeStartElement(NS, "host-info");
                text(w, "display-text", h.displayText());
                uris(w, "uris", h.uris());
                w.writeEndElement();
            }
            if (c.conferenceState().isPresent()) {
                ConferenceState s = c.conferenceState().get();
                w.writeStartElement(NS, "conference-state");
                text(w, "user-count", s.userCount().map(String::valueOf));
                text(w, "active", s.active().map(String::valueOf));
                text(w, "locked", s.locked().map(String::valueOf));
                w.writeEndElement();
            }
            if (c.state() == State.FULL || !c.users().isEmpty()) {
                w.writeStartElement(NS, "users");
                for (User u : c.users()) {
                    user(w, u);
                }
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing conference-info", e);
        }
        return out.toByteArray();
    }

    private static void description(XMLStreamWriter w, ConferenceDescription d) throws XMLStreamException {
        w.writeStartElement(NS, "conference-description");
        text(w, "display-text", d.displayText());
        text(w, "subject", d.subject());
        if (!d.confUris().isEmpty()) {
            uris(w, "conf-uris", d.confUris());
        }
        text(w, "maximum-user-count", d.maximumUserCount().map(String::valueOf));
        if (!d.availableMedia().isEmpty()) {
            w.writeStartElement(NS, "available-media");
            for (AvailableMedia m : d.availableMedia()) {
                w.writeStartElement(NS, "entry");
                w.writeAttribute("label", m.label());
                text(w, "display-text", m.displayText());
                text(w, "type", Optional.of(m.type()));
                text(w, "status", m.status().map(MediaStatus::xml));
                w.writeEndElement();
            }
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    private static void uris(XMLStreamWriter w, String name, List<UriEntry> entries) throws XMLStreamException {
        w.writeStartElement(NS, name);
        for (UriEntry e : entries) {
            w.writeStartElement(NS, "entry");
            text(w, "uri", Optional.of(e.uri()));
            text(w, "display-text", e.displayText());
            text(w, "purpose", e.purpose());
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    private static void user(XMLStreamWriter w, User u) throws XMLStreamException {
        w.writeStartElement(NS, "user");
        w.writeAttribute("entity", u.entity());
        w.writeAttribute("state", u.state().xml());
        text(w, "display-text", u.displayText());
        if (!u.roles().isEmpty()) {
            w.writeStartElement(NS, "roles");
            for (String r : u.roles()) {
                text(w, "entry", Optional.of(r));
            }
            w.writeEndElement();
        }
        for (Endpoint e : u.endpoints()) {
            w.writeStartElement(NS, "endpoint");
            w.writeAttribute("entity", e.entity());
            w.writeAttribute("state", e.state().xml());
            text(w, "display-text", e.displayText());
            text(w, "status", e.status().map(EndpointStatus::xml));
            text(w, "joining-method", e.joiningMethod().map(JoiningMethod::xml));
            text(w, "disconnection-method", e.disconnectionMethod().map(DisconnectionMethod::xml));
            for (Media m : e.media()) {
                w.writeStartElement(NS, "media");
                w.writeAttribute("id", m.id());
                text(w, "display-text", m.displayText());
                text(w, "type", m.type());
                text(w, "label", m.label());
                text(w, "src-id", m.srcId().map(String::valueOf)); // RFC 4575 §5.6.6: the SSRC, decimal
                text(w, "status", m.status().map(MediaStatus::xml));
                w.writeEndElement();
            }
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    private static void text(XMLStreamWriter w, String name, Optional<String> value) throws XMLStreamException {
        if (value.isPresent()) {
            w.writeStartElement(NS, name);
            w.writeCharacters(value.get());
            w.writeEndElement();
        }
    }

    // ------------------------------------------------------------------------------------------------ parsing

    /** A hardened DOM parser: no DOCTYPE at all, no external access, no XInclude, no entity expansion. */
    static DocumentBuilder secureBuilder() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance(); // the JDK's, whatever the classpath
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        b.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entity " + systemId + " refused");
        });
        return b;
    }

    private static ConferenceInfo doParse(byte[] xml) throws ConferenceInfoException {
        if (xml.length > MAX_BYTES) {
            throw new ConferenceInfoException("conference-info of " + xml.length + " bytes, at most " + MAX_BYTES);
        }
        Document doc;
        try {
            doc = secureBuilder().parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a security feature", e);
        } catch (SAXException | IOException e) {
            throw new ConferenceInfoException("not a well-formed, DTD-free XML document: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!NS.equals(root.getNamespaceURI()) || !"conference-info".equals(root.getLocalName())) {
            throw new ConferenceInfoException("root is not {" + NS + "}conference-info");
        }
        State state = attr(root, "state", State::fromXml, true).orElseThrow();
        long version = number(required(root, "version"), "version", 0xFFFF_FFFFL);
        return new ConferenceInfo(required(root, "entity"), state, version,
                optionalChild(root, "conference-description").map(ConferenceInfoXml::description),
                optionalChild(root, "host-info").map(h -> new HostInfo(childText(h, "display-text"),
                        uriEntries(optionalChild(h, "uris")))),
                optionalChild(root, "conference-state").map(s -> new ConferenceState(
                        childText(s, "user-count").map(v -> numberUnchecked(v, "user-count")),
                        childText(s, "active").map(v -> bool(v, "active")),
                        childText(s, "locked").map(v -> bool(v, "locked")))),
                optionalChild(root, "users").map(u -> children(u, "user").stream().map(ConferenceInfoXml::user)
                        .toList()).orElse(List.of()));
    }

    private static ConferenceDescription description(Element d) {
        List<AvailableMedia> media = new ArrayList<>();
        optionalChild(d, "available-media").ifPresent(am -> {
            for (Element e : children(am, "entry")) {
                media.add(new AvailableMedia(requiredUnchecked(e, "label"), childText(e, "display-text"),
                        childText(e, "type").orElseThrow(() -> bad("available-media entry without type")),
                        childText(e, "status").map(v -> enumValue(v, MediaStatus::fromXml, "status"))));
            }
        });
        return new ConferenceDescription(childText(d, "display-text"), childText(d, "subject"),
                uriEntries(optionalChild(d, "conf-uris")),
                childText(d, "maximum-user-count").map(v -> numberUnchecked(v, "maximum-user-count")), media);
    }

    private static List<UriEntry> uriEntries(Optional<Element> list) {
        return list.map(l -> children(l, "entry").stream().map(e -> new UriEntry(
                childText(e, "uri").orElseThrow(() -> bad("uri entry without uri")), childText(e, "display-text"),
                childText(e, "purpose"))).toList()).orElse(List.of());
    }

    private static User user(Element u) {
        List<String> roles = optionalChild(u, "roles").map(r -> children(r, "entry").stream()
                .map(Node::getTextContent).toList()).orElse(List.of());
        return new User(requiredUnchecked(u, "entity"), stateOf(u), childText(u, "display-text"), roles,
                children(u, "endpoint").stream().map(ConferenceInfoXml::endpoint).toList());
    }

    private static Endpoint endpoint(Element e) {
        return new Endpoint(requiredUnchecked(e, "entity"), stateOf(e), childText(e, "display-text"),
                childText(e, "status").map(v -> enumValue(v, EndpointStatus::fromXml, "status")),
                childText(e, "joining-method").map(v -> enumValue(v, JoiningMethod::fromXml, "joining-method")),
                childText(e, "disconnection-method").map(v -> enumValue(v, DisconnectionMethod::fromXml,
                        "disconnection-method")),
                children(e, "media").stream().map(ConferenceInfoXml::media).toList());
    }

    private static Media media(Element m) {
        return new Media(requiredUnchecked(m, "id"), childText(m, "display-text"), childText(m, "type"),
                childText(m, "label"), childText(m, "src-id").map(v -> numberUnchecked(v, "src-id")),
                childText(m, "status").map(v -> enumValue(v, MediaStatus::fromXml, "status")));
    }

    /** RFC 4575 §5.1: a user's or endpoint's state defaults to full. */
    private static State stateOf(Element e) {
        String s = e.getAttribute("state");
        return s.isEmpty() ? State.FULL : enumValue(s, State::fromXml, "state");
    }

    // ---- helpers: failures inside lambdas travel as Bad and come out of parse as ConferenceInfoException

    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bad(String m) {
            super(m);
        }
    }

    private static Bad bad(String m) {
        return new Bad(m);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Optional<Element> optionalChild(Element parent, String name) {
        List<Element> l = children(parent, name);
        if (l.size() > 1) {
            throw bad("more than one " + name + " in " + parent.getLocalName());
        }
        return l.stream().findFirst();
    }

    private static Optional<String> childText(Element parent, String name) {
        return optionalChild(parent, name).map(e -> {
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeType() == Node.ELEMENT_NODE) {
                    throw bad(name + " holds elements, not text");
                }
            }
            return e.getTextContent().strip();
        });
    }

    private static String required(Element e, String attr) throws ConferenceInfoException {
        try {
            return requiredUnchecked(e, attr);
        } catch (Bad b) {
            throw new ConferenceInfoException(b.getMessage());
        }
    }

    private static String requiredUnchecked(Element e, String attr) {
        if (!e.hasAttribute(attr)) {
            throw bad(e.getLocalName() + " without " + attr);
        }
        return e.getAttribute(attr);
    }

    private static <T> Optional<T> attr(Element e, String attr, Function<String, T> f, boolean required)
            throws ConferenceInfoException {
        if (!e.hasAttribute(attr)) {
            if (required) {
                throw new ConferenceInfoException(e.getLocalName() + " without " + attr);
            }
            return Optional.empty();
        }
        T v = f.apply(e.getAttribute(attr));
        if (v == null) {
            throw new ConferenceInfoException("unknown " + attr + " \"" + e.getAttribute(attr) + "\"");
        }
        return Optional.of(v);
    }

    private static <T> T enumValue(String s, Function<String, T> f, String what) {
        T v = f.apply(s);
        if (v == null) {
            throw bad("unknown " + what + " \"" + s + "\"");
        }
        return v;
    }

    private static long number(String s, String what, long max) throws ConferenceInfoException {
        try {
            return numberUnchecked(s, what, max);
        } catch (Bad b) {
            throw new ConferenceInfoException(b.getMessage());
        }
    }

    private static long numberUnchecked(String s, String what) {
        return numberUnchecked(s, what, 0xFFFF_FFFFL);
    }

    /** Decimal digits only (no sign, no hex), at most {@code max}. */
    private static long numberUnchecked(String s, String what, long max) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw bad(what + " \"" + s + "\" is not a decimal number");
        }
        long v = Long.parseLong(s);
        if (v > max) {
            throw bad(what + " " + v + " is out of range");
        }
        return v;
    }

    private static boolean bool(String s, String what) {
        return switch (s) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw bad(what + " \"" + s + "\" is not a boolean");
        };
    }

    /** Reads a document; every failure is a {@link ConferenceInfoException}. */
    public static ConferenceInfo parse(byte[] xml) throws ConferenceInfoException {
        try {
            return doParse(xml);
        } catch (Bad b) {
            throw new ConferenceInfoException(b.getMessage(), b);
        }
    }
}
