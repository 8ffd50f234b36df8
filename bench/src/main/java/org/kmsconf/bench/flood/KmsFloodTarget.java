package org.kmsconf.bench.flood;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.kmsconf.bench.kms.RawHttpClient;
import org.kmsconf.bench.kms.RemoteAdmin;
import org.kmsconf.kms.ProvisionedKey;
import org.kmsconf.kmsclient.KmsClient;
import org.kmsconf.mikey.ErrorCode;
import org.kmsconf.mikey.crypto.KeyMaterial;
import org.kmsconf.mikey.exchange.AlgorithmSet;
import org.kmsconf.mikey.exchange.PartyContext;
import org.kmsconf.mikey.exchange.TicketGrant;
import org.kmsconf.mikey.exchange.TicketRequest;
import org.kmsconf.mikey.exchange.TransferInitiator;
import org.kmsconf.mikey.exchange.TransferResponder;
import org.kmsconf.mikey.message.MikeyCodec;
import org.kmsconf.mikey.message.MikeyMessage;
import org.kmsconf.mikey.message.Ssrc;
import org.kmsconf.mikey.payload.Payload;
import org.kmsconf.mikey.payload.TicketPayload;

/**
 * A KMS under flood (POST /kms). The legitimate operation is a conference creation's KMS part: alice REQUESTs a ticket
 * naming the factory, and the conference system RESOLVEs it as a focus URI, the exchange a real conference server
 * makes for every join. Attack kinds:
 * <ul>
 * <li>{@code GARBAGE}: random bytes, not MIKEY (HTTP 400);</li>
 * <li>{@code MALFORMED}: MIKEY version byte, then random bytes (decoder error);</li>
 * <li>{@code UNKNOWN_KEY}: well-formed REQUEST_INITs naming random key ids (each a database query before the fix);</li>
 * <li>{@code WRONG_MAC}: REQUEST_INITs naming alice's key id, MAC'd with a wrong key;</li>
 * <li>{@code REPLAY}: copies of the legitimate REQUEST_INITs and RESOLVE_INITs, resent after their answer;</li>
 * <li>{@code GARBAGE_TICKET}: RESOLVE_INITs authenticated by the conference system itself carrying an altered ticket,
 *     what a SIP flood of INVITEs with garbage tickets makes a conference server send (the scenario that filled the
 *     global replay cache);</li>
 * <li>{@code MALLORY}: valid REQUEST_INITs of a genuine but hostile user at full rate (fills only her own replay
 *     partition).</li>
 * </ul>
 */
public final class KmsFloodTarget implements FloodTarget {
    public static final List<String> KINDS = List.of("GARBAGE", "MALFORMED", "UNKNOWN_KEY", "WRONG_MAC", "REPLAY",
            "GARBAGE_TICKET", "MALLORY");
    static final String ALICE = "sip:flood-alice@operator";
    static final String FACTORY = "sip:factory.floodconf@operator";
    static final String MALLORY = "sip:flood-mallory@operator";
    private static final int POOL = 256;

    private final URI base;
    private final String kmsId;
    private final List<InetAddress> sources;
    private final KmsClient client;
    private final ProvisionedKey alice;
    private final ProvisionedKey confsys;
    private final ProvisionedKey mallory;
    private final KeyMaterial alicePsk;
    private final KeyMaterial confPsk;
    private final KeyMaterial malloryPsk;
    private final PartyContext ctx = PartyContext.system();
    private volatile List<byte[]> unknownKey = List.of();
    private volatile List<byte[]> wrongMac = List.of();
    private volatile List<byte[]> garbageTicket = List.of();
    private final AtomicReferenceArray<byte[]> replays = new AtomicReferenceArray<>(POOL);
    private final AtomicInteger replayNext = new AtomicInteger();
    private final AtomicInteger focus = new AtomicInteger();
    private final String factory;

    /**
     * Provisions its users through the KMS's admin socket and prepares the pools of attack messages.
     *
     * @param sources local loopback addresses the attackers send from (one per thread, round robin); empty = any
     */
    public KmsFloodTarget(URI base, String kmsId, RemoteAdmin admin, List<InetAddress> sources) throws IOException {
        if (!isLoopback(base.getHost())) {
            throw new IllegalArgumentException("the flood targets loopback addresses only");
        }
        this.base = base;
        this.kmsId = kmsId;
        this.sources = List.copyOf(sources);
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        String factory = FACTORY.replace("floodconf", "flood" + run);
        this.factory = factory;
        this.alice = admin.addUser("flood-alice-" + run, ALICE.replace("alice", "alice-" + run), true);
        this.confsys = admin.addUser("flood-confsys-" + run, factory, false);
        admin.run("conference-system", "add-factory", factory);
        this.mallory = admin.addUser("flood-mallory-" + run, MALLORY.replace("mallory", "mallory-" + run), false);
        this.alicePsk = KeyMaterial.of(alice.psk());
        this.confPsk = KeyMaterial.of(confsys.psk());
        this.malloryPsk = KeyMaterial.of(mallory.psk());
        this.client = KmsClient.builder().address(base).build();
        // one real ticket, altered in its last byte (its V): the conference system resolves it, authenticated
        TicketRequest first = request(alice.identities().get(0), alice.keyId(), alicePsk, factory);
        TicketGrant g = first.processResponse(client.exchangeOrThrow(first.message()));
        byte[] ti = TransferInitiator.create(g, new TransferInitiator.Spec(alice.identities().get(0), factory,
                List.of(Ssrc.of(0x1234))), ctx).message();
        MikeyMessage m = MikeyCodec.decode(ti);
        List<Payload> altered = new ArrayList<>();
        for (Payload p : m.payloads()) {
            if (p instanceof TicketPayload t) {
                byte[] data = t.ticketData();
                data[data.length - 1] ^= 0x5a;
                altered.add(new TicketPayload(t.policy(), data, t.initiatorData()));
            } else {
                altered.add(p);
            }
        }
        this.badTransferInit = MikeyCodec.encode(new MikeyMessage(m.header(), altered));
        refill();
        // the pools hold timestamped messages: renewed every second so that they stay within a short skew window
        this.refresher = new Thread(() -> {
            while (!closed) {
                try {
                    Thread.sleep(1000);
                    refill();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "flood-pools");
        refresher.setDaemon(true);
        refresher.start();
    }

    private final byte[] badTransferInit;
    private final Thread refresher;
    private volatile boolean closed;

    private void refill() {
        SecureRandom r = new SecureRandom();
        List<byte[]> unknown = new ArrayList<>(POOL);
        List<byte[]> wrong = new ArrayList<>(POOL);
        List<byte[]> tickets = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) {
            byte[] id = new byte[8];
            r.nextBytes(id);
            unknown.add(request(alice.identities().get(0), id, randomKey(r), factory).message());
            wrong.add(request(alice.identities().get(0), alice.keyId(), randomKey(r), factory).message());
            TransferResponder resp = TransferResponder.receive(badTransferInit, PartyContext.system());
            tickets.add(resp.resolveInit(focusUri(factory, 900_000 + i), kmsId, confsys.keyId(), confPsk));
        }
        unknownKey = List.copyOf(unknown);
        wrongMac = List.copyOf(wrong);
        garbageTicket = List.copyOf(tickets);
    }

    private static String focusUri(String factory, int n) {
        return factory.replace("factory.", "focus" + n + ".");
    }

    private static KeyMaterial randomKey(SecureRandom r) {
        byte[] k = new byte[16];
        r.nextBytes(k);
        return KeyMaterial.of(k);
    }

    private TicketRequest request(String uri, byte[] keyId, KeyMaterial psk, String responder) {
        return TicketRequest.create(TicketRequest.Spec.conferencing(uri, kmsId, keyId, List.of(responder),
                AlgorithmSet.SET_128), psk, ctx);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<String> kinds() {
        return KINDS;
    }

    @Override
    public Attacker attacker(int thread) {
        InetAddress from = sources.isEmpty() ? null : sources.get(thread % sources.size());
        RawHttpClient http = new RawHttpClient(base, from);
        return new Attacker() {
            @Override
            public String send(String kind, Random random) {
                byte[] body = message(kind, random);
                try {
                    RawHttpClient.Answer a = http.post("/kms", "application/mikey", body);
                    if (a.status() != 200) {
                        return "HTTP " + a.status();
                    }
                    return KmsClient.errorCodeOf(a.body()).map(ErrorCode::name).orElse("answered");
                } catch (IOException e) {
                    return "connection closed";
                }
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    private byte[] message(String kind, Random random) {
        return switch (kind) {
            case "GARBAGE" -> {
                byte[] b = new byte[16 + random.nextInt(600)];
                random.nextBytes(b);
                b[0] = (byte) (2 + random.nextInt(250));
                yield b;
            }
            case "MALFORMED" -> {
                byte[] b = new byte[16 + random.nextInt(200)];
                random.nextBytes(b);
                b[0] = 1;
                yield b;
            }
            case "UNKNOWN_KEY" -> pick(unknownKey, random);
            case "WRONG_MAC" -> pick(wrongMac, random);
            case "REPLAY" -> {
                byte[] r = replays.get(random.nextInt(POOL));
                yield r != null ? r : pick(wrongMac, random);
            }
            case "GARBAGE_TICKET" -> pick(garbageTicket, random);
            case "MALLORY" -> request(mallory.identities().get(0), mallory.keyId(), malloryPsk,
                    alice.identities().get(0)).message();
            default -> throw new IllegalArgumentException("unknown attack kind " + kind + ": " + KINDS);
        };
    }

    /** Alice REQUESTs a ticket naming the factory; the conference system RESOLVEs it as a new focus URI. */
    @Override
    public void legitimate() throws Exception {
        TicketRequest tr = request(alice.identities().get(0), alice.keyId(), alicePsk, factory);
        TicketGrant g = tr.processResponse(client.exchangeOrThrow(tr.message()));
        keep(tr.message());
        byte[] ti = TransferInitiator.create(g, new TransferInitiator.Spec(alice.identities().get(0), factory,
                List.of(Ssrc.of(0x4321))), ctx).message();
        TransferResponder resp = TransferResponder.receive(ti, PartyContext.system());
        byte[] resolve = resp.resolveInit(focusUri(factory, focus.incrementAndGet()), kmsId, confsys.keyId(), confPsk);
        resp.processResolveResponse(client.exchangeOrThrow(resolve));
        keep(resolve);
        g.destroy();
    }

    private static byte[] pick(List<byte[]> pool, Random random) {
        return pool.get(random.nextInt(pool.size()));
    }

    private void keep(byte[] answered) {
        replays.set(Math.floorMod(replayNext.getAndIncrement(), POOL), answered);
    }

    @Override
    public void close() {
        closed = true;
        refresher.interrupt();
        alicePsk.destroy();
        confPsk.destroy();
        malloryPsk.destroy();
    }
}
