//go:build js && wasm

package webcrypto

import (
	"errors"
	"sync"
	"syscall/js"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/keyfile"
)

// Available reports whether crypto.subtle exists here. Browsers only expose
// it in secure contexts (https or localhost); Node ≥ 19, Deno and Workers
// always do.
func Available() bool {
	c := js.Global().Get("crypto")
	return c.Truthy() && c.Get("subtle").Truthy()
}

// Signer is a [frontsign.Signer] backed by crypto.subtle. The private key is
// imported non-extractable, once per hash for RSA (WebCrypto binds the hash
// to an RSA key at import) and once for ECDSA.
//
// SignPolicy waits on a JavaScript Promise, so it must run on a goroutine
// other than the one the JavaScript event loop is waiting on: in a handler
// goroutine or behind a Promise returned to JavaScript.
type Signer struct {
	typ      frontsign.KeyType
	sigSize  int // WebCrypto's signature length: the RSA modulus, or r‖s for P-256
	await    func(js.Value) (js.Value, error)
	hostSign HostSign
	keys     *keyCache // the private key, "pkcs8", for "sign"
}

// prepared is what signing or verifying with one hash needs, built once:
// the imported CryptoKey and the algorithm parameters for subtle.sign or
// subtle.verify.
type prepared struct {
	key, signAlg js.Value
}

// keyCache imports one key into WebCrypto on first use with each hash
// (WebCrypto binds the hash to an RSA key at import) and keeps it with the
// algorithm parameters, so that a signature or verification creates no
// JavaScript objects but its input.
type keyCache struct {
	typ    frontsign.KeyType
	format string // "pkcs8" or "spki"
	der    []byte
	usage  string // "sign" or "verify"
	await  func(js.Value) (js.Value, error)

	mu   sync.Mutex
	keys map[frontsign.HashAlgorithm]prepared
}

func newKeyCache(typ frontsign.KeyType, format string, der []byte, usage string, await func(js.Value) (js.Value, error)) *keyCache {
	if await == nil {
		await = Await
	}
	return &keyCache{typ: typ, format: format, der: der, usage: usage, await: await, keys: map[frontsign.HashAlgorithm]prepared{}}
}

// get returns the key imported for hash h, importing it the first time.
func (c *keyCache) get(h frontsign.HashAlgorithm) (prepared, error) {
	hash, err := webHash(h)
	if err != nil {
		return prepared{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.keys[h]; ok {
		return p, nil
	}
	importAlg, alg := algorithm(c.typ, hash)
	usages := js.Global().Get("Array").New(c.usage)
	k, err := c.await(subtle().Call("importKey", c.format, bytesToJS(c.der), importAlg, false, usages))
	if err != nil {
		return prepared{}, errors.New("webcrypto: importKey failed: " + err.Error())
	}
	p := prepared{key: k, signAlg: alg}
	c.keys[h] = p
	return p, nil
}

// Host is what a Signer may use of its JavaScript host beyond syscall/js,
// where the host's glue offers cheaper crossings (the edge worker's entry,
// worker/wasm/direct.go, does). The zero Host uses syscall/js alone.
type Host struct {
	// Await waits for a Promise and returns its value, or its rejection as
	// an error; nil means [Await].
	Await func(promise js.Value) (js.Value, error)
	// Sign, if not nil, signs policies in the host's JavaScript; see [HostSign].
	Sign HostSign
}

// NewSigner prepares a WebCrypto signer for k, a key as internal/keyfile
// reads it, that reaches JavaScript through host. The key is imported on
// the first signature with each hash (or by [Signer.Prepare]), so creating a
// Signer never blocks.
func NewSigner(k *keyfile.Private, host Host) (*Signer, error) {
	if !Available() {
		return nil, errors.New("webcrypto: crypto.subtle is not available (browsers offer it only on https or localhost)")
	}
	sigSize := 64 // P1363 r‖s for P-256, the only curve frontsign keys use
	if k.Type == keyfile.RSA {
		sigSize = (k.Bits + 7) / 8
	}
	keys := newKeyCache(frontsign.KeyType(k.Type), "pkcs8", k.PKCS8, "sign", host.Await)
	return &Signer{typ: keys.typ, sigSize: sigSize, await: keys.await, hostSign: host.Sign, keys: keys}, nil
}

// Prepare imports the key for hash h now rather than on the first
// signature, so that a key WebCrypto refuses is an error where it is given.
func (s *Signer) Prepare(h frontsign.HashAlgorithm) error {
	_, err := s.keys.get(h)
	return err
}

// KeyType implements [frontsign.Signer].
func (s *Signer) KeyType() frontsign.KeyType { return s.typ }

// webHash names h as WebCrypto does.
func webHash(h frontsign.HashAlgorithm) (string, error) {
	switch h {
	case frontsign.SHA1:
		return "SHA-1", nil
	case frontsign.SHA256:
		return "SHA-256", nil
	}
	return "", errors.New("webcrypto: unsupported hash " + string(h))
}

// algorithm returns the WebCrypto algorithm parameters for importing a key
// of type typ and for signing or verifying with it.
func algorithm(typ frontsign.KeyType, hash string) (importAlg, signAlg js.Value) {
	obj := js.Global().Get("Object")
	if typ == frontsign.ECDSA {
		importAlg = obj.New()
		importAlg.Set("name", "ECDSA")
		importAlg.Set("namedCurve", "P-256")
		signAlg = obj.New()
		signAlg.Set("name", "ECDSA")
		signAlg.Set("hash", hash)
		return importAlg, signAlg
	}
	importAlg = obj.New()
	importAlg.Set("name", "RSASSA-PKCS1-v1_5")
	importAlg.Set("hash", hash)
	return importAlg, js.ValueOf("RSASSA-PKCS1-v1_5")
}

// SignPolicy implements [frontsign.Signer]: WebCrypto hashes the policy
// itself; ECDSA's P1363 output is converted to DER.
func (s *Signer) SignPolicy(policy []byte, h frontsign.HashAlgorithm) ([]byte, error) {
	p, err := s.keys.get(h)
	if err != nil {
		return nil, err
	}
	if s.hostSign != nil { // checked first so that, without one, no lengths are built
		if sigs, ok, err := s.signWithHost(p, policy, []uint32{uint32(len(policy))}); ok {
			if err != nil {
				return nil, err
			}
			return s.finish(sigs)
		}
	}
	out, err := s.await(subtle().Call("sign", p.signAlg, p.key, bytesToJS(policy)))
	if err != nil {
		return nil, errors.New("webcrypto: sign failed: " + err.Error())
	}
	return s.fromJS(out)
}

// SignPolicies signs a batch, as [frontsign.SignURLs] uses it. Each crossing
// between Go and JavaScript costs far more than the Go work around it, so a batch
// crosses in bulk: the policies go over in one copy (each signature reads
// its own view of it), every signature starts at once, Go waits once for
// all of them, and the signatures come back joined into one buffer by a
// Blob (they all have the key's fixed length), in one copy.
func (s *Signer) SignPolicies(policies [][]byte, h frontsign.HashAlgorithm) ([][]byte, error) {
	p, err := s.keys.get(h)
	if err != nil {
		return nil, err
	}
	handles()
	total := 0
	for _, policy := range policies {
		total += len(policy)
	}
	joined := make([]byte, 0, total)
	lengths := make([]uint32, len(policies))
	for i, policy := range policies {
		joined = append(joined, policy...)
		lengths[i] = uint32(len(policy))
	}
	if sigs, ok, err := s.signWithHost(p, joined, lengths); ok {
		if err != nil {
			return nil, err
		}
		return s.split(sigs, len(policies))
	}
	all := bytesToJS(joined)
	pending := arrayJS.New(len(policies))
	start := 0
	for i, policy := range policies {
		view := all.Call("subarray", start, start+len(policy))
		pending.SetIndex(i, subtleJS.Call("sign", p.signAlg, p.key, view))
		start += len(policy)
	}
	signatures, err := s.await(promiseJS.Call("all", pending))
	if err != nil {
		return nil, errors.New("webcrypto: sign failed: " + err.Error())
	}
	buf, err := s.await(blobJS.New(signatures).Call("arrayBuffer"))
	if err != nil {
		return nil, errors.New("webcrypto: reading the signatures failed: " + err.Error())
	}
	view := uint8Array.New(buf)
	sigs := make([]byte, view.Length())
	js.CopyBytesToGo(sigs, view)
	return s.split(sigs, len(policies))
}

// split cuts n joined signatures of one length apart and finishes each.
func (s *Signer) split(sigs []byte, n int) ([][]byte, error) {
	if len(sigs) == 0 || len(sigs)%n != 0 {
		return nil, errors.New("webcrypto: signatures of unequal length")
	}
	size := len(sigs) / n
	out := make([][]byte, n)
	for i := range out {
		var err error
		if out[i], err = s.finish(sigs[i*size : (i+1)*size : (i+1)*size]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HostSign signs policies in the host's JavaScript: joined holds them one
// after the other, lengths gives each one's length, and the host writes the
// signatures (WebCrypto's output, all of the key's one length) into sigs,
// joined in order; len(sigs) is their total, so output of another length is
// an error. ok false means the host cannot take this batch now; the signer
// then uses its own path.
//
// A host whose JavaScript glue reads and writes Go's memory signs this way
// without Go holding any JavaScript value for the result.
type HostSign func(key, signAlg js.Value, joined []byte, lengths []uint32, sigs []byte) (ok bool, err error)

func (s *Signer) signWithHost(p prepared, joined []byte, lengths []uint32) ([]byte, bool, error) {
	if s.hostSign == nil || len(joined) == 0 {
		return nil, false, nil
	}
	sigs := make([]byte, len(lengths)*s.sigSize)
	ok, err := s.hostSign(p.key, p.signAlg, joined, lengths, sigs)
	if ok && err != nil {
		err = errors.New("webcrypto: sign failed: " + err.Error())
	}
	return sigs, ok, err
}

// fromJS copies a signature out of its ArrayBuffer.
func (s *Signer) fromJS(buf js.Value) ([]byte, error) {
	handles()
	view := uint8Array.New(buf)
	sig := make([]byte, view.Length())
	js.CopyBytesToGo(sig, view)
	return s.finish(sig)
}

// finish converts a WebCrypto signature to CloudFront's form: ECDSA's P1363
// r‖s becomes DER; RSA's is already PKCS #1 v1.5.
func (s *Signer) finish(sig []byte) ([]byte, error) {
	if s.typ == frontsign.ECDSA {
		return P1363ToDER(sig)
	}
	return sig, nil
}

// The JavaScript handles every signature uses, looked up once: each js.Value
// Go obtains carries a finalizer, which is most of a signature's Go-side cost.
var (
	handlesOnce                                      sync.Once
	subtleJS, uint8Array, arrayJS, promiseJS, blobJS js.Value
)

func handles() {
	handlesOnce.Do(func() {
		subtleJS = js.Global().Get("crypto").Get("subtle")
		uint8Array = js.Global().Get("Uint8Array")
		arrayJS = js.Global().Get("Array")
		promiseJS = js.Global().Get("Promise")
		blobJS = js.Global().Get("Blob")
	})
}

func subtle() js.Value { handles(); return subtleJS }

func bytesToJS(b []byte) js.Value {
	handles()
	a := uint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// Await blocks the calling goroutine until the Promise p settles and returns
// its value, or its rejection as an error, with syscall/js alone: a js.Func
// for each outcome. Never call it on the goroutine the JavaScript event loop
// is waiting for (it would deadlock).
func Await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg0(args)}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "promise rejected"
		if e := arg0(args); e.Truthy() {
			msg = e.Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	p.Call("then", onOK, onErr)
	r := <-ch
	return r.v, r.err
}

func arg0(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}
