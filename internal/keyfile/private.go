package keyfile

// Object identifiers, as the contents of their DER encoding.
const (
	oidRSA     = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01" // rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017)
	oidEC      = "\x2a\x86\x48\xce\x3d\x02\x01"         // id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480)
	oidP256    = "\x2a\x86\x48\xce\x3d\x03\x01\x07"     // secp256r1 (prime256v1), 1.2.840.10045.3.1.7
	oidP224    = "\x2b\x81\x04\x00\x21"                 // secp224r1, 1.3.132.0.33
	oidP384    = "\x2b\x81\x04\x00\x22"                 // secp384r1, 1.3.132.0.34
	oidP521    = "\x2b\x81\x04\x00\x23"                 // secp521r1, 1.3.132.0.35
	oidEd25519 = "\x2b\x65\x70"                         // 1.3.101.112 (RFC 8410)
	oidX25519  = "\x2b\x65\x6e"                         // 1.3.101.110 (RFC 8410)
)

// p256Order is n, the order of P-256's base point (SEC 2, 2.4.2): a
// private scalar is in [1, n-1].
const p256Order = "\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x51"

// otherCurve names the curves crypto/x509 knows besides P-256, so that a
// key on one of them is refused by name.
func otherCurve(oid string) string {
	switch oid {
	case oidP224:
		return "P-224"
	case oidP384:
		return "P-384"
	case oidP521:
		return "P-521"
	}
	return ""
}

// The AlgorithmIdentifiers this package writes, in DER: rsaEncryption
// with NULL parameters (RFC 8017, A.1), and id-ecPublicKey on P-256.
const (
	algRSA = "\x30\x0d\x06\x09" + oidRSA + "\x05\x00"
	algEC  = "\x30\x13\x06\x07" + oidEC + "\x06\x08" + oidP256
)

// PEM block types of private keys.
const (
	blockPKCS1 = "RSA PRIVATE KEY"
	blockSEC1  = "EC PRIVATE KEY"
	blockPKCS8 = "PRIVATE KEY"
)

func notP256() *Problem {
	return problem(CodeUnsupportedCurve, "EC key is not on P-256; CloudFront accepts only P-256 (prime256v1)")
}

func onCurve(name string) *Problem {
	return problem(CodeUnsupportedCurve, "EC key is on curve "+name+"; CloudFront accepts only P-256 (prime256v1)")
}

func pkcs8(alg string, key []byte) []byte {
	return element(tagSequence, []byte{tagInteger, 1, 0}, []byte(alg), element(tagOctetString, key))
}

func spki(alg string, key []byte) []byte {
	return element(tagSequence, []byte(alg), bitString(key))
}

// parsePKCS1Private reads an RSAPrivateKey (RFC 8017, A.1.2), as
// crypto/x509's ParsePKCS1PrivateKey does: nothing may follow it; fields
// after the ones it knows are ignored (and dropped).
func parsePKCS1Private(b []byte) (*Private, *Problem) {
	in := der(b)
	seq, ok := in.read(tagSequence)
	if !ok || len(in) != 0 {
		return nil, damagedPrivate(blockPKCS1)
	}
	k, ok := rsaPrivate(seq)
	if !ok {
		return nil, damagedPrivate(blockPKCS1)
	}
	return k, nil
}

// rsaPrivate reads the contents of an RSAPrivateKey: version (0, or 1 with
// more primes; crypto/x509 refuses only versions above 1), n, e, d, p, q,
// then dp, dq, qinv and the further primes, each optional as crypto/x509
// has them. Every number but the further primes' exponents and
// coefficients must be positive.
func rsaPrivate(seq []byte) (*Private, bool) {
	s := der(seq)
	v, ok := s.readInt64()
	if !ok || v > 1 {
		return nil, false
	}
	n, ok := s.readPositive()
	if !ok {
		return nil, false
	}
	before := s
	if e, ok := s.readInt64(); !ok || e <= 0 {
		return nil, false
	}
	eElem := before[:len(before)-len(s)]
	nElem := positiveInteger(n)
	for range 3 { // d, p, q
		if _, ok := s.readPositive(); !ok {
			return nil, false
		}
	}
	for range 3 { // dp, dq, qinv
		if b, present, ok := s.readOptional(tagInteger); !ok || present && !positive(b) {
			return nil, false
		}
	}
	primes, present, ok := s.readOptional(tagSequence)
	if !ok {
		return nil, false
	}
	if present && !otherPrimes(primes) {
		return nil, false
	}
	// Whatever follows is ignored, as encoding/asn1 ignores trailing
	// elements of a SEQUENCE, and left out of the key written.
	priv := element(tagSequence, seq[:len(seq)-len(s)])
	return &Private{
		Type:  RSA,
		Bits:  bitLen(n),
		PKCS8: pkcs8(algRSA, priv),
		SPKI:  spki(algRSA, element(tagSequence, nElem, eElem)),
	}, true
}

// otherPrimes reads OtherPrimeInfos: each a SEQUENCE of a positive prime,
// its exponent and its coefficient.
func otherPrimes(b []byte) bool {
	s := der(b)
	for len(s) > 0 {
		info, ok := s.read(tagSequence)
		if !ok {
			return false
		}
		i := der(info)
		if _, ok := i.readPositive(); !ok {
			return false
		}
		if _, ok := i.readInteger(); !ok {
			return false
		}
		if _, ok := i.readInteger(); !ok {
			return false
		}
	}
	return true
}

// parseSEC1 reads an ECPrivateKey (RFC 5915) on its own, its curve named
// inside it.
func parseSEC1(b []byte) (*Private, *Problem) {
	k, p, ok := ecPrivate(b, "")
	if !ok {
		return nil, damagedPrivate(blockSEC1)
	}
	return k, p
}

// ecPrivate reads an ECPrivateKey as crypto/x509 does: bytes after it are
// ignored; version 1; the private scalar, which may lack leading zeros or
// carry extra ones; the curve from outerCurve (the OID a PKCS #8 wrapper
// names) or else from the optional [0] field; the optional [1] public point,
// which crypto/x509 ignores and recomputes. A point that is not
// uncompressed is dropped here too: SPKI is then nil. ok is false when b
// does not have that structure, for the caller to name its format.
func ecPrivate(b []byte, outerCurve string) (k *Private, p *Problem, ok bool) {
	in := der(b)
	seq, ok := in.read(tagSequence)
	if !ok {
		return nil, nil, false
	}
	s := der(seq)
	if v, ok := s.readInt64(); !ok || v != 1 {
		return nil, nil, false
	}
	scalar, ok := s.read(tagOctetString)
	if !ok {
		return nil, nil, false
	}
	// [0] and [1] are read as encoding/asn1 reads them, quirks included,
	// as crypto/x509 does: a field whose tags differ counts as absent, and
	// what follows is ignored.
	oid, present, ok := s.readExplicit(tagContext0, tagOID)
	if !ok || present && !validOID(oid) {
		return nil, nil, false
	}
	curve := string(oid)
	bits, present, ok := s.readExplicit(tagContext1, tagBitString)
	if !ok || present && !validBitString(bits) {
		return nil, nil, false
	}
	var point []byte
	if present && len(bits) == 66 && bits[0] == 0 && bits[1] == 4 {
		point = bits[1:]
	}
	if outerCurve != "" {
		curve = outerCurve
	}
	if curve != oidP256 {
		if name := otherCurve(curve); name != "" {
			return nil, onCurve(name), true
		}
		return nil, notP256(), true
	}
	for len(scalar) > 32 {
		if scalar[0] != 0 {
			return nil, nil, false
		}
		scalar = scalar[1:]
	}
	d := make([]byte, 32)
	copy(d[32-len(scalar):], scalar)
	if string(d) >= p256Order || string(d) == string(make([]byte, 32)) {
		return nil, nil, false
	}
	sec1 := []byte{tagInteger, 1, 1}
	sec1 = append(sec1, element(tagOctetString, d)...)
	k = &Private{Type: ECDSA, Bits: 256}
	if point != nil {
		sec1 = append(sec1, element(tagContext1, bitString(point))...)
		k.SPKI = spki(algEC, point)
	}
	k.PKCS8 = pkcs8(algEC, element(tagSequence, sec1))
	return k, nil, true
}

// validBitString reports whether b is the contents of a BIT STRING as
// encoding/asn1 reads it: the count of unused bits, at most 7, none unless
// there are bits, and those bits zero.
func validBitString(b []byte) bool {
	if len(b) == 0 || b[0] > 7 || len(b) == 1 && b[0] > 0 {
		return false
	}
	return b[len(b)-1]&(1<<b[0]-1) == 0
}

// parsePKCS8 reads a PrivateKeyInfo (RFC 5208) as crypto/x509's
// ParsePKCS8PrivateKey does: bytes after it and fields after the key are
// ignored, and the version is not checked.
func parsePKCS8(b []byte) (*Private, *Problem) {
	in := der(b)
	seq, ok := in.read(tagSequence)
	if !ok {
		return nil, damagedPrivate(blockPKCS8)
	}
	s := der(seq)
	_, ok1 := s.readInt64()
	alg, ok2 := s.read(tagSequence)
	key, ok3 := s.read(tagOctetString)
	if !ok1 || !ok2 || !ok3 {
		return nil, damagedPrivate(blockPKCS8)
	}
	a := der(alg)
	oid, ok := a.readOID()
	if !ok {
		return nil, damagedPrivate(blockPKCS8)
	}
	var params []byte
	if len(a) > 0 {
		if params, ok = a.skip(); !ok {
			return nil, damagedPrivate(blockPKCS8)
		}
	}
	switch string(oid) {
	case oidRSA: // parameters ignored, as crypto/x509 does
		k, p := parsePKCS1Private(key)
		if p != nil {
			return nil, damagedPrivate(blockPKCS8)
		}
		return k, nil
	case oidEC:
		// The curve is the parameters' OID if they are one, as crypto/x509
		// takes it, and otherwise the one in the ECPrivateKey.
		curve := ""
		p := der(params)
		if oid, ok := p.readOID(); ok {
			curve = string(oid)
		}
		k, prob, ok := ecPrivate(key, curve)
		if !ok {
			return nil, damagedPrivate(blockPKCS8)
		}
		return k, prob
	case oidEd25519:
		return nil, problem(CodeBadKey, "key type is not supported; CloudFront signs with RSA-2048 or ECDSA P-256 keys")
	case oidX25519:
		return nil, problem(CodeBadKey, "private key type is not supported; CloudFront signs with RSA-2048 or ECDSA P-256 keys")
	}
	return nil, problem(CodeBadKey, "private key type is not supported (DSA or other); CloudFront signs with RSA-2048 or ECDSA P-256 keys")
}
