package keyfile

// A small, strict reader and writer for the DER (ITU-T X.690) that key files
// are made of: single-byte tags, definite lengths in their shortest form,
// and INTEGERs and OBJECT IDENTIFIERs in minimal form, as encoding/asn1 and
// cryptobyte demand. It knows nothing of keys; the parsers in this package
// decide which elements may follow which.

// Tags, as the single identifier byte (class, constructed bit, number).
const (
	tagInteger     = 0x02
	tagBitString   = 0x03
	tagOctetString = 0x04
	tagNull        = 0x05
	tagOID         = 0x06
	tagSequence    = 0x30 // constructed
	tagContext0    = 0xa0 // [0], constructed (EXPLICIT)
	tagContext1    = 0xa1 // [1], constructed (EXPLICIT)
)

// der is the unread rest of an encoding. Its methods consume one element
// and report false, leaving der unchanged, when the next element is not
// what was asked for or is not valid DER.
type der []byte

// header reads the identifier and length octets at the start of d, as
// encoding/asn1 does: indefinite lengths and lengths not in their shortest
// form are refused; a high tag number (low five bits 0x1f) is read, and tag
// is then its first byte, which matches none of the tags above. Whether
// the contents fit in d is not checked here.
func (d der) header() (tag byte, hdr, n int, ok bool) {
	if len(d) < 2 {
		return 0, 0, 0, false
	}
	tag, hdr = d[0], 1
	if tag&0x1f == 0x1f {
		// High tag number: base 128, most significant group first, no
		// leading zero group, at most 31 bits, and at least 31.
		num := 0
		for {
			if hdr >= len(d) || hdr == 5 || hdr == 1 && d[hdr] == 0x80 {
				return 0, 0, 0, false
			}
			c := d[hdr]
			hdr++
			num = num<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
		if num < 0x1f || num > 1<<31-1 || hdr >= len(d) {
			return 0, 0, 0, false
		}
	}
	n = int(d[hdr])
	hdr++
	if n >= 0x80 {
		size := n & 0x7f
		// 0x80 is the indefinite form (BER only); 0x81.. give the length in
		// size bytes. Four bytes are far beyond any key.
		if size == 0 || size > 4 || len(d) < hdr+size || d[hdr] == 0 {
			return 0, 0, 0, false
		}
		n = 0
		for _, b := range d[hdr : hdr+size] {
			n = n<<8 | int(b)
		}
		if n < 0x80 || n > 1<<31-1 { // would have fitted the short form, or too long
			return 0, 0, 0, false
		}
		hdr += size
	}
	return tag, hdr, n, true
}

// next splits off the next element: its tag, its contents and its whole
// encoding. Besides header's rules, the contents must fit in d.
func (d der) next() (tag byte, body, whole []byte, rest der, ok bool) {
	tag, hdr, n, ok := d.header()
	if !ok || n > len(d)-hdr {
		return 0, nil, nil, d, false
	}
	return tag, d[hdr : hdr+n], d[:hdr+n], d[hdr+n:], true
}

// read consumes the next element if it has the given tag and returns its
// contents.
func (d *der) read(tag byte) ([]byte, bool) {
	t, body, _, rest, ok := d.next()
	if !ok || t != tag {
		return nil, false
	}
	*d = rest
	return body, true
}

// readOptional consumes the next element if it has the given tag. present
// reports whether it did; ok is false only when the next element is
// malformed. As for an optional field in encoding/asn1, the next element's
// header must be well formed even when its tag is another (its length is
// then not checked).
func (d *der) readOptional(tag byte) (body []byte, present, ok bool) {
	if len(*d) == 0 {
		return nil, false, true
	}
	t, _, _, ok := d.header()
	if !ok {
		return nil, false, false
	}
	if t != tag {
		return nil, false, true
	}
	body, ok = d.read(tag)
	return body, ok, ok
}

// readExplicit reads an optional field of encoding/asn1's form
// `asn1:"optional,explicit,tag:N"`, outer being the constructed
// context-specific tag [N] and inner the field's own. It mirrors
// encoding/asn1, which reads the inner element's header right after the
// outer one without holding it to the outer length, and takes the field as
// absent (consuming nothing) when either tag differs. ok is false where
// encoding/asn1 fails.
func (d *der) readExplicit(outer, inner byte) (body []byte, present, ok bool) {
	if len(*d) == 0 {
		return nil, false, true
	}
	t, hdr, n, ok := d.header()
	switch {
	case !ok:
		return nil, false, false
	case t == outer&^0x20 && n == 0: // [N], primitive and empty
		return nil, false, false
	case t != outer:
		return nil, false, true
	case n == 0:
		return nil, false, false
	}
	in := (*d)[hdr:]
	it, ihdr, in2, ok := in.header()
	switch {
	case !ok:
		return nil, false, false
	case it != inner:
		return nil, false, true
	case in2 > len(in)-ihdr:
		return nil, false, false
	}
	body = in[ihdr : ihdr+in2]
	*d = in[ihdr+in2:]
	return body, true, true
}

// skip consumes the next element, whatever its tag, and returns its whole
// encoding.
func (d *der) skip() ([]byte, bool) {
	_, _, whole, rest, ok := d.next()
	if ok {
		*d = rest
	}
	return whole, ok
}

// skipAll consumes the elements left, which must each be well formed.
func (d *der) skipAll() bool {
	for len(*d) > 0 {
		if _, ok := d.skip(); !ok {
			return false
		}
	}
	return true
}

// readInteger consumes an INTEGER and returns its two's-complement
// contents, checked to be minimal.
func (d *der) readInteger() ([]byte, bool) {
	save := *d
	b, ok := d.read(tagInteger)
	if !ok || !minimalInteger(b) {
		*d = save
		return nil, false
	}
	return b, true
}

// readPositive consumes an INTEGER that must be greater than zero and
// returns its magnitude without a leading zero byte.
func (d *der) readPositive() ([]byte, bool) {
	save := *d
	b, ok := d.read(tagInteger)
	if !ok || !positive(b) {
		*d = save
		return nil, false
	}
	if b[0] == 0 {
		b = b[1:]
	}
	return b, true
}

// positive reports whether b is the contents of a minimal INTEGER greater
// than zero.
func positive(b []byte) bool {
	return minimalInteger(b) && b[0]&0x80 == 0 && !(len(b) == 1 && b[0] == 0)
}

// readInt64 consumes an INTEGER that fits in an int64 (as encoding/asn1
// reads an int field).
func (d *der) readInt64() (int64, bool) {
	save := *d
	b, ok := d.readInteger()
	if !ok || len(b) > 8 {
		*d = save
		return 0, false
	}
	v := int64(int8(b[0])) // sign-extend
	for _, c := range b[1:] {
		v = v<<8 | int64(c)
	}
	return v, true
}

// readOID consumes an OBJECT IDENTIFIER and returns its contents, checked
// to be a well-formed, minimal encoding whose arcs fit in 31 bits (the
// limit encoding/asn1 applies). OIDs are then compared byte for byte, which
// the minimal encoding makes exact.
func (d *der) readOID() ([]byte, bool) {
	save := *d
	b, ok := d.read(tagOID)
	if !ok || !validOID(b) {
		*d = save
		return nil, false
	}
	return b, true
}

// readBitString consumes a BIT STRING of whole bytes (no unused bits), as
// keys are, and returns those bytes.
func (d *der) readBitString() ([]byte, bool) {
	save := *d
	b, ok := d.read(tagBitString)
	if !ok || len(b) == 0 || b[0] != 0 {
		*d = save
		return nil, false
	}
	return b[1:], true
}

func minimalInteger(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if len(b) > 1 && (b[0] == 0 && b[1]&0x80 == 0 || b[0] == 0xff && b[1]&0x80 != 0) {
		return false
	}
	return true
}

func validOID(b []byte) bool {
	if len(b) == 0 || b[len(b)-1]&0x80 != 0 {
		return false
	}
	start := true
	var arc uint64
	for _, c := range b {
		if start && c == 0x80 { // leading zero group: not minimal
			return false
		}
		arc = arc<<7 | uint64(c&0x7f)
		if arc > 1<<31-1 {
			return false
		}
		start = c&0x80 == 0
		if start {
			arc = 0
		}
	}
	return true
}

// bitLen is the length in bits of the big-endian magnitude b.
func bitLen(b []byte) int {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0
	}
	n := (len(b) - 1) * 8
	for c := b[0]; c != 0; c >>= 1 {
		n++
	}
	return n
}

// Writing.

// element encodes one element with the given tag around the concatenation
// of parts.
func element(tag byte, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, 6+n)
	out = append(out, tag)
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 1<<8:
		out = append(out, 0x81, byte(n))
	case n < 1<<16:
		out = append(out, 0x82, byte(n>>8), byte(n))
	case n < 1<<24:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		out = append(out, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// positiveInteger encodes the big-endian magnitude m (no leading zeros, not
// empty) as an INTEGER.
func positiveInteger(m []byte) []byte {
	if m[0]&0x80 != 0 {
		return element(tagInteger, []byte{0}, m)
	}
	return element(tagInteger, m)
}

func bitString(b []byte) []byte { return element(tagBitString, []byte{0}, b) }
