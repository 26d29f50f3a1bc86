package frontsign

import (
	"crypto"
	"errors"
	"strings"
	"testing"
	"time"
)

// SignURLs is the batch form of SignURL: under one resource it signs once,
// otherwise once per URL; every result verifies, and a bad URL fails the
// whole batch with its index.
func TestSignURLs(t *testing.T) {
	k, err := GenerateKey(ECDSA)
	if err != nil {
		t.Fatal(err)
	}
	key := Key{ID: "K2ECDSATEST", Signer: k}
	now := time.Unix(1767200000, 0)
	opts := VerifyOptions{PublicKeys: map[string]crypto.PublicKey{key.ID: k.Public()}, Now: now}
	urls := []string{
		"https://d111111abcdef8.cloudfront.net/videos/42/index.m3u8",
		"https://d111111abcdef8.cloudfront.net/videos/42/seg 1.ts",
		"https://d111111abcdef8.cloudfront.net/videos/42/seg2.ts?v=1",
	}
	terms := Terms{Expires: now.Add(time.Hour), Now: now}

	each, err := SignURLs(urls, key, terms)
	if err != nil {
		t.Fatal(err)
	}
	shared := terms
	shared.Resource = "https://d111111abcdef8.cloudfront.net/videos/42/*"
	once, err := SignURLs(urls, key, shared)
	if err != nil {
		t.Fatal(err)
	}
	for i := range urls {
		for _, s := range []*SignedURL{each[i], once[i]} {
			if d := Verify(s.URL, nil, opts); !d.Allowed {
				t.Errorf("urls[%d]: %s: %s", i, d.Reason, d.Detail)
			}
		}
		if !each[i].Canned || once[i].Canned {
			t.Errorf("urls[%d]: canned = %v/%v, want true/false", i, each[i].Canned, once[i].Canned)
		}
		if once[i].SignedPolicy != once[0].SignedPolicy {
			t.Errorf("urls[%d]: signed again under one resource; want one shared signature", i)
		}
	}
	if !strings.Contains(each[1].URL, "seg%201.ts?Expires=") {
		t.Errorf("URL not canonical: %s", each[1].URL)
	}

	bad := append(append([]string{}, urls...), "ftp://d111111abcdef8.cloudfront.net/x")
	for _, tt := range []Terms{terms, shared} {
		_, err := SignURLs(bad, key, tt)
		var be *BatchError
		if !errors.As(err, &be) || be.Index != 3 || ErrorCode(err) != CodeBadURL {
			t.Errorf("bad batch (resource %q): err = %v, want *BatchError at index 3 with code %s", tt.Resource, err, CodeBadURL)
		}
	}
	outside := []string{urls[0], "https://d111111abcdef8.cloudfront.net/videos/43/a.ts"}
	if _, err := SignURLs(outside, key, shared); ErrorCode(err) != CodeResourceMismatch {
		t.Errorf("URL outside the resource: err = %v, want %s", err, CodeResourceMismatch)
	}
	if got, err := SignURLs(nil, key, terms); err != nil || len(got) != 0 {
		t.Errorf("empty batch: %v, %v", got, err)
	}
}

type panickySigner struct{}

func (panickySigner) KeyType() KeyType                                          { return RSA }
func (panickySigner) SignPolicy(policy []byte, h HashAlgorithm) ([]byte, error) { panic("boom") }

// A Signer that panics inside a batch goroutine becomes an error, not a crash.
func TestSignURLsRecoversSignerPanic(t *testing.T) {
	now := time.Unix(1767200000, 0)
	_, err := SignURLs([]string{"https://h.example/a", "https://h.example/b"}, Key{ID: "K1", Signer: panickySigner{}},
		Terms{Expires: now.Add(time.Hour), Now: now})
	if ErrorCode(err) != CodeSignerFailed {
		t.Fatalf("err = %v, want code %s", err, CodeSignerFailed)
	}
}

// countingBatchSigner is a batchSigner over a Go key that counts its calls.
type countingBatchSigner struct {
	*PrivateKey
	batches, policies int
}

func (c *countingBatchSigner) SignPolicies(policies [][]byte, h HashAlgorithm) ([][]byte, error) {
	c.batches++
	out := make([][]byte, len(policies))
	for i, p := range policies {
		c.policies++
		var err error
		if out[i], err = c.SignPolicy(p, h); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// With a batchSigner, a batch of canned URLs is signed in one call, and the
// results are exactly those of signing one by one (RSA is deterministic).
func TestSignURLsUsesBatchSigner(t *testing.T) {
	k, err := GenerateKey(RSA)
	if err != nil {
		t.Fatal(err)
	}
	bs := &countingBatchSigner{PrivateKey: k}
	now := time.Unix(1767200000, 0)
	terms := Terms{Expires: now.Add(time.Hour), Now: now, Hash: SHA256}
	urls := []string{"https://h.example/a", "https://h.example/b c", "https://h.example/d?e=f"}
	got, err := SignURLs(urls, Key{ID: "K1", Signer: bs}, terms)
	if err != nil {
		t.Fatal(err)
	}
	if bs.batches != 1 || bs.policies != len(urls) {
		t.Fatalf("SignPolicies called %d times for %d policies; want once for %d", bs.batches, bs.policies, len(urls))
	}
	for i, u := range urls {
		want, err := SignURL(u, Key{ID: "K1", Signer: k}, terms)
		if err != nil {
			t.Fatal(err)
		}
		if got[i].URL != want.URL {
			t.Errorf("urls[%d]: batch %s\n one by one %s", i, got[i].URL, want.URL)
		}
	}
	_, err = SignURLs(append(urls, "https://h.example/x#frag"), Key{ID: "K1", Signer: bs}, terms)
	var be *BatchError
	if !errors.As(err, &be) || be.Index != 3 || bs.batches != 1 {
		t.Errorf("bad URL in a batch: err = %v, batches = %d; want *BatchError at 3 and nothing signed", err, bs.batches)
	}
}
