package keyfile

func notP256Public() *Problem {
	return problem(CodeUnsupportedCurve, "EC public key is not on P-256; CloudFront accepts only P-256")
}

// parseSPKI reads a SubjectPublicKeyInfo (RFC 5280, 4.1.2.7) as
// crypto/x509's ParsePKIXPublicKey does, except that the key's BIT STRING
// must be whole bytes and the EC curve is judged by its OID (an unknown
// curve is an unsupported one, not damage). block names the PEM block for
// the damaged error.
func parseSPKI(b []byte, block string) (*Public, *Problem) {
	in := der(b)
	seq, ok := in.read(tagSequence)
	if !ok || len(in) != 0 {
		return nil, damagedPublic(block)
	}
	s := der(seq)
	alg, ok1 := s.read(tagSequence)
	key, ok2 := s.readBitString()
	if !ok1 || !ok2 {
		return nil, damagedPublic(block)
	}
	a := der(alg)
	oid, ok := a.readOID()
	if !ok {
		return nil, damagedPublic(block)
	}
	var params []byte
	if len(a) > 0 {
		if params, ok = a.skip(); !ok {
			return nil, damagedPublic(block)
		}
	}
	switch string(oid) {
	case oidRSA:
		// RFC 3279, 2.3.1: the parameters are NULL; crypto/x509 insists.
		if string(params) != "\x05\x00" {
			return nil, damagedPublic(block)
		}
		k := der(key)
		pub, ok := k.read(tagSequence) // bytes after it ignored, as crypto/x509 does
		if !ok {
			return nil, damagedPublic(block)
		}
		out, ok := rsaPublic(pub, 1<<63-1)
		if !ok {
			return nil, damagedPublic(block)
		}
		return out, nil
	case oidEC:
		p := der(params)
		curve, ok := p.readOID()
		if !ok {
			return nil, damagedPublic(block)
		}
		if string(curve) != oidP256 {
			return nil, notP256Public()
		}
		// An uncompressed point (SEC 1, 2.3.3), the only form crypto/x509
		// reads; whether it lies on the curve is for the importer.
		if len(key) != 65 || key[0] != 4 {
			return nil, damagedPublic(block)
		}
		return &Public{Type: ECDSA, Bits: 256, SPKI: spki(algEC, key)}, nil
	}
	return nil, problem(CodeBadKey, "public key type is not supported; CloudFront uses RSA or ECDSA P-256 keys")
}

// rsaPublic reads the contents of an RSAPublicKey (RFC 8017, A.1.1): a
// positive modulus and a positive exponent no larger than maxE; fields
// after them are ignored, as crypto/x509 does.
func rsaPublic(seq []byte, maxE int64) (*Public, bool) {
	s := der(seq)
	n, ok := s.readPositive()
	if !ok {
		return nil, false
	}
	before := s
	if e, ok := s.readInt64(); !ok || e <= 0 || e > maxE {
		return nil, false
	}
	eElem := before[:len(before)-len(s)]
	return &Public{
		Type: RSA,
		Bits: bitLen(n),
		SPKI: spki(algRSA, element(tagSequence, positiveInteger(n), eElem)),
	}, true
}

// parsePKCS1Public reads an RSAPublicKey on its own, as crypto/x509's
// ParsePKCS1PublicKey does: nothing may follow it, and the exponent must fit
// in 31 bits.
func parsePKCS1Public(b []byte) (*Public, *Problem) {
	in := der(b)
	seq, ok := in.read(tagSequence)
	if !ok || len(in) != 0 {
		return nil, damagedPublic("RSA PUBLIC KEY")
	}
	k, ok := rsaPublic(seq, 1<<31-1)
	if !ok {
		return nil, damagedPublic("RSA PUBLIC KEY")
	}
	return k, nil
}

// parseCertificate finds the SubjectPublicKeyInfo of an X.509 certificate
// (RFC 5280, 4.1): Certificate is SEQUENCE { tbsCertificate, signature
// algorithm, signature }, and tbsCertificate starts [0] version (optional),
// serial number, signature, issuer, validity, subject, subjectPublicKeyInfo.
// The rest of the certificate is not checked: only its key is used.
func parseCertificate(b []byte) (*Public, *Problem) {
	const block = "CERTIFICATE"
	in := der(b)
	cert, ok := in.read(tagSequence)
	if !ok || len(in) != 0 {
		return nil, damagedPublic(block)
	}
	c := der(cert)
	tbs, ok1 := c.read(tagSequence)
	_, ok2 := c.read(tagSequence)
	_, ok3 := c.read(tagBitString)
	// Bytes after the signature, inside the certificate, are ignored, as
	// crypto/x509 ignores them.
	if !ok1 || !ok2 || !ok3 {
		return nil, damagedPublic(block)
	}
	t := der(tbs)
	if _, _, ok := t.readOptional(tagContext0); !ok {
		return nil, damagedPublic(block)
	}
	if _, ok := t.readInteger(); !ok {
		return nil, damagedPublic(block)
	}
	for range 4 { // signature, issuer, validity, subject
		if _, ok := t.read(tagSequence); !ok {
			return nil, damagedPublic(block)
		}
	}
	if len(t) == 0 || t[0] != tagSequence {
		return nil, damagedPublic(block)
	}
	key, ok := t.skip()
	if !ok || !t.skipAll() {
		return nil, damagedPublic(block)
	}
	return parseSPKI(key, block)
}
