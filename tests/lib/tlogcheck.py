"""An independent verifier of consent's accountability log, written from the
specifications (RFC 9162 Merkle trees and proofs; C2SP signed-note,
tlog-checkpoint, tlog-cosignature and tlog-tiles), sharing no code with
src/tlog: hashlib for SHA-256, the cryptography package for Ed25519."""
import base64
import hashlib
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                              Ed25519PublicKey)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

EM_DASH = "\u2014"
TYPE_ED25519 = 0x01
TYPE_COSIG = 0x04


def sha256(b):
    return hashlib.sha256(b).digest()


def leaf_hash(entry):
    return sha256(b"\x00" + entry)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def _split(n):
    """The largest power of two strictly below n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    """MTH of a list of leaf hashes (RFC 9162 2.1.1)."""
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2. Returns True or False."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(size1, size2, root1, root2, proof):
    """RFC 9162 2.1.4.2, with transparency-dev/merkle's edge policy."""
    if size1 == 0 or size1 > size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0


# ---- keys and notes ----

def key_id(name, key_type, pub):
    return sha256(name.encode() + b"\n" + bytes([key_type]) + pub)[:4]


def parse_vkey(vkey):
    """(name, key id bytes, type, public key) of "name+hex(id)+base64(type||key)",
    split at the first two '+' only (base64 may contain '+')."""
    name, hexid, b64 = vkey.strip().split("+", 2)
    raw = base64.b64decode(b64, validate=True)
    kid = bytes.fromhex(hexid)
    assert len(raw) == 33 and key_id(name, raw[0], raw[1:]) == kid, vkey
    return name, kid, raw[0], raw[1:]


def make_vkey(name, key_type, pub):
    return "%s+%s+%s" % (name, key_id(name, key_type, pub).hex(),
                         base64.b64encode(bytes([key_type]) + pub).decode())


def public_bytes(sk):
    return sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def parse_note(text):
    """(body, [(name, key id, signature bytes)]) of a signed note."""
    assert text.endswith("\n") and "\r" not in text
    i = text.index("\n\n")
    body, block = text[:i + 1], text[i + 2:]
    sigs = []
    for line in block.splitlines():
        assert line.startswith(EM_DASH + " "), line
        name, b64 = line[2:].split(" ")
        raw = base64.b64decode(b64, validate=True)
        sigs.append((name, raw[:4], raw[4:]))
    return body, sigs


def parse_checkpoint(body):
    """(origin, size, root) of a checkpoint body."""
    lines = body.split("\n")
    assert lines[-1] == "" and len(lines) >= 4, body
    size = lines[1]
    assert size.isdigit() and (size == "0" or not size.startswith("0")), body
    root = base64.b64decode(lines[2], validate=True)
    assert len(root) == 32
    return lines[0], int(size), root


def verify_ed25519(pub, sig, msg):
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(sig, msg)
        return True
    except InvalidSignature:
        return False


def open_checkpoint(text, log_vkey, witness_vkeys=()):
    """Verifies a signed checkpoint as a client would: the log's signature
    must verify, and so must every signature by a known witness; unknown
    signatures are ignored. Returns (origin, size, root, cosigners)."""
    name, kid, kt, pub = parse_vkey(log_vkey)
    assert kt == TYPE_ED25519
    body, sigs = parse_note(text)
    origin, size, root = parse_checkpoint(body)
    assert origin == name, (origin, name)
    witnesses = {}
    for v in witness_vkeys:
        wname, wkid, wt, wpub = parse_vkey(v)
        assert wt == TYPE_COSIG
        witnesses[(wname, wkid)] = wpub
    logged, cosigners = False, []
    for sname, skid, sig in sigs:
        if (sname, skid) == (name, kid):
            assert verify_ed25519(pub, sig, body.encode()), "log signature does not verify"
            logged = True
        elif (sname, skid) in witnesses:
            assert len(sig) == 72
            (ts,) = struct.unpack(">Q", sig[:8])
            msg = ("cosignature/v1\ntime %d\n" % ts).encode() + body.encode()
            assert verify_ed25519(witnesses[(sname, skid)], sig[8:], msg), \
                "cosignature of %s does not verify" % sname
            cosigners.append(sname)
    assert logged, "no signature by the log's key"
    return origin, size, root, cosigners


def cosign_line(sk, name, body, timestamp):
    """The tlog-cosignature/v1 line of witness key sk (named name) over a
    checkpoint body."""
    pub = public_bytes(sk)
    msg = ("cosignature/v1\ntime %d\n" % timestamp).encode() + body.encode()
    sig = key_id(name, TYPE_COSIG, pub) + struct.pack(">Q", timestamp) + sk.sign(msg)
    return "%s %s %s\n" % (EM_DASH, name, base64.b64encode(sig).decode())


def sign_line(sk, name, body):
    """An Ed25519 (type 0x01) signature line over a note body."""
    pub = public_bytes(sk)
    sig = key_id(name, TYPE_ED25519, pub) + sk.sign(body.encode())
    return "%s %s %s\n" % (EM_DASH, name, base64.b64encode(sig).decode())


def new_key():
    return Ed25519PrivateKey.generate()


# ---- tiles ----

def tile_index_path(n):
    """1234067 -> "x001/x234/067" (C2SP tlog-tiles)."""
    groups = []
    while True:
        groups.append("%03d" % (n % 1000))
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


def tile_path(level, n, width=256):
    p = "tile/%s/%s" % (level, tile_index_path(n))
    return p if width == 256 else p + ".p/%d" % width


def hash_tile(leaves, level, n, width):
    """The bytes of hash tile (level, n) of width `width` over the given
    leaf hashes (enough of them)."""
    out = b""
    span = 256 ** level
    for i in range(width):
        start = (n * 256 + i) * span
        out += mth(leaves[start:start + span])
    return out


def bundle(entries):
    return b"".join(struct.pack(">H", len(e)) + e for e in entries)
