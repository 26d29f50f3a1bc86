// Command checker is the page tests' oracle: it checks what the page produced
// with the core package (frontsign.Verify, frontsign.ParsePrivateKey), so the
// browser's results are judged by the same code CloudFront's rules live in.
//
// It reads one JSON request on stdin and writes one JSON answer on stdout:
//
//	{"op":"verify","url":U,"cookies":[{"name":N,"value":V}],"publicKeys":{ID:PEM},"at":UNIX}
//	  → {"allowed":B,"reason":R,"detail":D}
//	{"op":"parsekey","pem":PEM,"publicPem":PEM}
//	  → {"keyType":"RSA"|"ECDSA","publicMatches":B}
//	{"op":"sign","pem":PEM,"keyPairId":ID,"url":U,"now":UNIX,"expires":UNIX}
//	  → {"signedUrl":S}  (signing "as of" now, to make URLs that have expired)
//	{"op":"keygen","keyType":"RSA"|"ECDSA"}
//	  → {"privatePem":PEM,"publicPem":PEM}  (for the benchmark)
package main

import (
	"bytes"
	"crypto"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/frontend/nethttp"
)

type request struct {
	Op         string            `json:"op"`
	URL        string            `json:"url"`
	Cookies    []http.Cookie     `json:"cookies"`
	PublicKeys map[string]string `json:"publicKeys"`
	At         int64             `json:"at"`
	PEM        string            `json:"pem"`
	PublicPEM  string            `json:"publicPem"`
	KeyPairID  string            `json:"keyPairId"`
	KeyType    string            `json:"keyType"`
	Now        int64             `json:"now"`
	Expires    int64             `json:"expires"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail(fmt.Errorf("reading the request: %w", err))
	}
	var out any
	var err error
	switch req.Op {
	case "verify":
		out, err = verify(req)
	case "parsekey":
		out, err = parseKey(req)
	case "sign":
		out, err = sign(req)
	case "keygen":
		var k *frontsign.PrivateKey
		if k, err = frontend.GenerateKey(frontsign.KeyType(req.KeyType)); err == nil {
			out = map[string]string{"privatePem": string(k.MarshalPEM()), "publicPem": string(frontend.PublicKeyPEM(k.Public()))}
		}
	default:
		err = fmt.Errorf("unknown op %q; use verify, parsekey, sign or keygen", req.Op)
	}
	if err != nil {
		fail(err)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func verify(req request) (any, error) {
	opts := frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{}}
	for id, p := range req.PublicKeys {
		pub, err := frontsign.ParsePublicKey([]byte(p))
		if err != nil {
			return nil, fmt.Errorf("public key %s: %w", id, err)
		}
		opts.PublicKeys[id] = pub
	}
	if req.At != 0 {
		opts.Now = time.Unix(req.At, 0)
	}
	var cookies []*http.Cookie
	for i := range req.Cookies {
		cookies = append(cookies, &req.Cookies[i])
	}
	d := frontsign.Verify(req.URL, nethttp.RequestCookies(cookies), opts)
	return map[string]any{"allowed": d.Allowed, "reason": d.Reason, "detail": d.Detail}, nil
}

func parseKey(req request) (any, error) {
	k, err := frontsign.ParsePrivateKey([]byte(req.PEM), nil)
	if err != nil {
		return nil, err
	}
	matches := false
	if req.PublicPEM != "" {
		pub, err := frontsign.ParsePublicKey([]byte(req.PublicPEM))
		if err != nil {
			return nil, fmt.Errorf("public key: %w", err)
		}
		matches = bytes.Equal(frontend.PublicKeyPEM(pub), frontend.PublicKeyPEM(k.Public()))
	}
	return map[string]any{"keyType": k.KeyType(), "publicMatches": matches}, nil
}

func sign(req request) (any, error) {
	k, err := frontsign.ParsePrivateKey([]byte(req.PEM), nil)
	if err != nil {
		return nil, err
	}
	s, err := frontsign.SignURL(req.URL, frontsign.Key{ID: req.KeyPairID, Signer: k},
		frontsign.Terms{Now: time.Unix(req.Now, 0), Expires: time.Unix(req.Expires, 0)})
	if err != nil {
		return nil, err
	}
	return map[string]any{"signedUrl": s.URL}, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "checker:", err)
	os.Exit(1)
}
