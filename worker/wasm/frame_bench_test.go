package main

import (
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/fixedsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/token"
	"github.com/frontsign/frontsign/worker"
	"github.com/golang-jwt/jwt/v5"
)

// BenchmarkServeFrame is the edge's whole Go path for one POST /v1/sign of
// one URL, natively: the request frame as entry.mjs writes it (with the
// headers local workerd sends), the handler, and the answer frame.
// Its allocations are what a request costs the wasm heap; its time is a
// fraction of the wasm's (Go in wasm runs several times slower).
func BenchmarkServeFrame(b *testing.B) {
	key, err := frontend.GenerateKey(frontsign.ECDSA)
	if err != nil {
		b.Fatal(err)
	}
	pem := key.MarshalPEM()
	const secret = "bench-token-secret-0123456789abcdefghijkl"
	const demo = "https://d111111abcdef8.cloudfront.net"
	env := map[string]string{"CLOUDFRONT_PRIVATE_KEY": string(pem), "CLOUDFRONT_KEY_PAIR_ID": "K2BENCH0000001",
		"TOKEN_SECRET": secret, "ALLOWED_RESOURCES": demo + "/*", "HASH_ALGORITHM": "SHA1", "MAX_TTL": "1h"}
	h := worker.NewFromEnv(func(n string) string { return env[n] }, worker.WithAuditLog(io.Discard),
		worker.WithSigner(fixedsign.For)) // WebCrypto's work at the edge, not Go's
	tok, err := token.MintHS256([]byte(secret), token.Claims{
		RegisteredClaims: jwt.RegisteredClaims{Subject: "bench", ExpiresAt: jwt.NewNumericDate(time.Now().Add(3 * time.Hour))},
		Frontsign:        &token.Scope{Resources: []string{demo + "/*"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"url":"` + demo + `/bench/seg0.ts"}`)
	head := "POST\nhttp://127.0.0.1:8787/v1/sign" +
		"\naccept\n*/*\naccept-encoding\ngzip, deflate\nauthorization\nBearer " + tok +
		"\ncf-connecting-ip\n127.0.0.1\ncontent-length\n" + strconv.Itoa(len(body)) +
		"\ncontent-type\napplication/json\nhost\n127.0.0.1:8787\nuser-agent\nnode"
	b.ReportAllocs()
	for b.Loop() {
		if status, _, answer := serveFrame(h, head, body); status != 200 {
			b.Fatalf("status %d: %s", status, answer)
		}
	}
}
